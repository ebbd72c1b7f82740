import { makeUnsignedJwt } from './makeUnsignedJwt.ts';
import { parseBasicAuth } from './parseBasicAuth.ts';
import {
  type FakeProviderServer,
  type FakeReply,
  type FakeRequest,
  type FakeServerOptions,
  startFakeServer,
} from './startFakeServer.ts';

/** Options of {@link startFakeOAuth2}. */
export interface FakeOAuth2Options extends FakeServerOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The client authentication the server requires (default `basic` = client_secret_basic). */
  readonly clientAuth?: 'basic' | 'post';
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

/** RFC 6749 §2.3.1: the id and secret are form-urlencoded before Basic encoding. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

interface ClientIdentity {
  readonly method: 'basic' | 'post';
  readonly clientId: string;
  readonly clientSecret: string;
}

function identifyClient(request: FakeRequest, form: URLSearchParams): ClientIdentity | string {
  const basic = parseBasicAuth(request.headers.authorization);
  const inBody = form.has('client_id') || form.has('client_secret');
  if (basic !== undefined && inBody) return 'more than one client authentication method';
  if (basic !== undefined) {
    try {
      return {
        method: 'basic',
        clientId: formDecode(basic.user),
        clientSecret: formDecode(basic.password),
      };
    } catch {
      return 'malformed Basic credentials';
    }
  }
  if (inBody) {
    return {
      method: 'post',
      clientId: form.get('client_id') ?? '',
      clientSecret: form.get('client_secret') ?? '',
    };
  }
  return 'no client authentication';
}

/**
 * Starts a fake OAuth2 authorization server whose token endpoint implements RFC 6749 §4.4 (client
 * credentials grant) with §2.3.1 client authentication (`client_secret_basic`, form-urlencoded id
 * and secret, or `client_secret_post`), §5.1 responses and §5.2 error responses, plus optional
 * `scope` and `audience`.
 *
 * @example
 * const idp = await startFakeOAuth2({ clientId: 'app', clientSecret: 's3cret', clientAuth: 'post' });
 * // POST idp.tokenUrl
 */
export async function startFakeOAuth2(options: FakeOAuth2Options): Promise<FakeOAuth2Server> {
  const tokenPath = options.tokenPath ?? '/oauth2/token';
  const requiredAuth = options.clientAuth ?? 'basic';
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
    const client = identifyClient(request, form);
    if (typeof client === 'string') return oauthError(401, 'invalid_client', client, true);
    if (
      mode === 'reject' ||
      client.method !== requiredAuth ||
      client.clientId !== options.clientId ||
      client.clientSecret !== options.clientSecret
    ) {
      return oauthError(
        401,
        'invalid_client',
        'Client authentication failed',
        client.method === 'basic',
      );
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
  return Object.assign(server, { tokenUrl: `${server.url}${tokenPath}` });
}
