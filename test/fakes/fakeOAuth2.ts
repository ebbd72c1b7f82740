import type { KeyObject } from 'node:crypto';
import { authenticateOAuth2Client } from './authenticateOAuth2Client.ts';
import { makeUnsignedJwt } from './makeUnsignedJwt.ts';
import {
  type FakeProviderServer,
  type FakeReply,
  type FakeServerOptions,
  startFakeServer,
} from './startFakeServer.ts';

/** Options of {@link startFakeOAuth2}. */
export interface FakeOAuth2Options extends FakeServerOptions {
  readonly clientId: string;
  /** For `basic` and `post`. */
  readonly clientSecret?: string;
  /** For `private_key_jwt`: verifies the client's assertions (RFC 7523). */
  readonly publicKey?: KeyObject;
  /** The `kid` a client assertion must carry, when set. */
  readonly keyId?: string;
  /**
   * The client authentication the server requires (default `basic` = client_secret_basic;
   * `private_key_jwt` checks signature, `aud`, `exp` and `jti` reuse).
   */
  readonly clientAuth?: 'basic' | 'post' | 'private_key_jwt';
  /** `expires_in` of issued tokens (default 3600); `null` leaves it out of the response. */
  readonly expiresInSeconds?: number | null;
  /** The JWT `exp` claim, in seconds from now (default: same as `expiresInSeconds`, or 3600). */
  readonly jwtLifetimeSeconds?: number;
  /** Issue opaque (non-JWT) tokens instead of JWTs. */
  readonly opaqueTokens?: boolean;
  /** `token_type` in responses (default `bearer`; RFC 6749 says it is case-insensitive). */
  readonly tokenType?: string;
  /** Scopes a client may ask for; a request for another is `invalid_scope` (default: any). */
  readonly allowedScopes?: readonly string[];
  /** The only `audience` accepted when set; another is `invalid_request`. */
  readonly audience?: string;
  /** Path of the token endpoint (default `/oauth2/token`). */
  readonly tokenPath?: string;
}

/** A fake OAuth2 server: its token endpoint URL besides the common API. */
export interface FakeOAuth2Server extends FakeProviderServer {
  /** `{url}{tokenPath}`. */
  readonly tokenUrl: string;
}

function oauthError(status: number, error: string, description: string, basic = false): FakeReply {
  return {
    status,
    headers: {
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      ...(basic ? { 'WWW-Authenticate': 'Basic realm="oauth2"' } : {}),
    },
    body: { error, error_description: description },
  };
}

/**
 * Starts a fake OAuth2 authorization server whose token endpoint implements RFC 6749 §4.4 (client
 * credentials grant) with §2.3.1 client authentication (`client_secret_basic`, form-urlencoded id
 * and secret, `client_secret_post`, or RFC 7523 `private_key_jwt`), §5.1 responses and §5.2 error
 * responses, plus optional `scope` and `audience`.
 *
 * @example
 * const idp = await startFakeOAuth2({ clientId: 'app', clientSecret: 's3cret', clientAuth: 'post' });
 * // POST idp.tokenUrl
 */
export async function startFakeOAuth2(options: FakeOAuth2Options): Promise<FakeOAuth2Server> {
  const tokenPath = options.tokenPath ?? '/oauth2/token';
  const usedJtis = new Set<string>();
  let tokenUrl = '';
  const clock = options.now ?? Date.now;
  const server = await startFakeServer((request, mode) => {
    if (request.url.pathname !== tokenPath) return oauthError(404, 'not_found', 'Not found');
    if (request.method !== 'POST') return oauthError(405, 'invalid_request', 'POST required');
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/x-www-form-urlencoded') {
      return oauthError(
        400,
        'invalid_request',
        'Content-Type must be application/x-www-form-urlencoded',
      );
    }
    const form = new URLSearchParams(request.body);
    const client = authenticateOAuth2Client(request, form, options, {
      audience: tokenUrl,
      usedJtis,
    });
    const basic = request.headers.authorization !== undefined;
    if (typeof client === 'string') return oauthError(401, 'invalid_client', client, basic);
    if (mode === 'reject') {
      return oauthError(401, 'invalid_client', 'Client authentication failed', basic);
    }
    const grantType = form.get('grant_type');
    if (grantType === null) return oauthError(400, 'invalid_request', 'grant_type is required');
    if (grantType !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', `grant_type ${grantType} is not supported`);
    }
    const scope = form.get('scope');
    const requested = scope === null ? [] : scope.split(' ');
    const refused = requested.find(
      (item) => options.allowedScopes !== undefined && !options.allowedScopes.includes(item),
    );
    if (refused !== undefined)
      return oauthError(400, 'invalid_scope', `scope ${refused} is not allowed`);
    const audience = form.get('audience');
    if (options.audience !== undefined && audience !== options.audience) {
      return oauthError(400, 'invalid_request', 'audience is not valid for this client');
    }
    const expiresIn = options.expiresInSeconds === undefined ? 3600 : options.expiresInSeconds;
    const now = Math.floor(clock() / 1000);
    const token = options.opaqueTokens
      ? `opaque-${crypto.randomUUID()}`
      : makeUnsignedJwt({
          iss: 'fake-oauth2',
          sub: client.clientId,
          aud: audience ?? 'fake-api',
          iat: now,
          exp: now + (options.jwtLifetimeSeconds ?? expiresIn ?? 3600),
          ...(scope === null ? {} : { scope }),
        });
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: {
        access_token: token,
        token_type: options.tokenType ?? 'bearer',
        ...(expiresIn === null ? {} : { expires_in: expiresIn }),
        ...(scope === null ? {} : { scope }),
      },
      issuedToken: token,
    };
  }, options);
  tokenUrl = `${server.url}${tokenPath}`;
  return Object.assign(server, { tokenUrl });
}
