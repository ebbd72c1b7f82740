import { createHash, randomBytes } from 'node:crypto';
import {
  type AssertionPolicy,
  authenticateOAuth2Client,
  type FakeOAuth2Client,
} from './authenticateOAuth2Client.ts';
import { makeUnsignedJwt } from './makeUnsignedJwt.ts';
import {
  type FakeProviderServer,
  type FakeReply,
  type FakeRequest,
  type FakeServerOptions,
  startFakeServer,
} from './startFakeServer.ts';

/** Options of {@link startFakeRotatingOAuth2}. */
export interface FakeRotatingOAuth2Options extends FakeServerOptions {
  readonly client: FakeOAuth2Client;
  /** `expires_in` of access tokens (default 3600). */
  readonly expiresInSeconds?: number;
  /** Hand out a new refresh token on every refresh (default true), as the OAuth 2.0 Security BCP advises for public clients. */
  readonly rotate?: boolean;
}

/** A fake authorization server with rotating refresh tokens and an authorization endpoint. */
export interface FakeRotatingOAuth2Server extends FakeProviderServer {
  /** `{url}/oauth2/token`. */
  readonly tokenUrl: string;
  /** `{url}/oauth2/authorize`. */
  readonly authorizeUrl: string;
  /** Starts a token family as a past authorization would have, and returns its refresh token. */
  issueRefreshToken(): string;
  /** The one refresh token of a family that still works, `undefined` once it is revoked. */
  currentRefreshToken(of: string): string | undefined;
  /** Token families revoked because an old refresh token was used again. */
  readonly revokedFamilies: number;
  /** Successful refresh token grants. */
  readonly refreshes: number;
}

interface Family {
  current: string;
  revoked: boolean;
}

interface PendingCode {
  readonly redirectUri: string;
  readonly challenge: string;
  readonly expiresAt: number;
}

const LOOPBACK_REDIRECT = /^http:\/\/127\.0\.0\.1:\d{1,5}\/[\x21-\x7e]*$/;
const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

function oauthError(status: number, error: string, description: string): FakeReply {
  return {
    status,
    headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    body: { error, error_description: description },
  };
}

function opaque(prefix: string): string {
  return `${prefix}-${randomBytes(24).toString('base64url')}`;
}

/**
 * Starts a strict fake OAuth2 authorization server on 127.0.0.1:
 * - `GET /oauth2/authorize`: the authorization code flow (RFC 6749 §4.1) with PKCE S256 only
 *   (RFC 7636) and loopback redirect URIs on any port (RFC 8252 §7.3); it "approves" at once and
 *   redirects with `code` and the unchanged `state` (or `error=access_denied` in `reject` mode).
 * - `POST /oauth2/token`: `authorization_code` (single-use codes, `redirect_uri` and
 *   `code_verifier` checked) and `refresh_token` (RFC 6749 §6). Every refresh hands out a new
 *   refresh token and retires the old one; presenting a retired one again revokes the whole family
 *   (OAuth 2.0 Security BCP §4.14), and every refused refresh token is `invalid_grant`.
 * Client authentication is the client's method (basic, post, none or private_key_jwt).
 *
 * @example
 * const idp = await startFakeRotatingOAuth2({ client: { clientId: 'app', clientSecret: 's', clientAuth: 'post' } });
 * const refreshToken = idp.issueRefreshToken();
 */
export async function startFakeRotatingOAuth2(
  options: FakeRotatingOAuth2Options,
): Promise<FakeRotatingOAuth2Server> {
  /** Every refresh token ever issued, and its family. */
  const familyOf = new Map<string, Family>();
  const codes = new Map<string, PendingCode>();
  const policy = { audience: '', usedJtis: new Set<string>() } satisfies AssertionPolicy;
  let revokedFamilies = 0;
  let refreshes = 0;

  const startFamily = (): string => {
    const token = opaque('rt');
    const family: Family = { current: token, revoked: false };
    familyOf.set(token, family);
    return token;
  };
  const tokenReply = (refreshToken: string): FakeReply => {
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = options.expiresInSeconds ?? 3600;
    const accessToken = makeUnsignedJwt({
      iss: 'fake-rotating-oauth2',
      sub: options.client.clientId,
      iat: now,
      exp: now + expiresIn,
    });
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: expiresIn,
        refresh_token: refreshToken,
      },
      issuedToken: accessToken,
    };
  };

  const authorize = (request: FakeRequest, reject: boolean): FakeReply => {
    const query = request.url.searchParams;
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!LOOPBACK_REDIRECT.test(redirectUri)) {
      return { status: 400, body: 'redirect_uri must be a loopback http://127.0.0.1:PORT/ URI' };
    }
    const back = (params: Record<string, string>) => {
      const location = new URL(redirectUri);
      for (const [name, value] of Object.entries(params)) location.searchParams.set(name, value);
      const state = query.get('state');
      if (state !== null) location.searchParams.set('state', state);
      return { status: 302, headers: { Location: location.toString() }, body: '' };
    };
    if (query.get('client_id') !== options.client.clientId) {
      return { status: 400, body: 'unknown client_id' };
    }
    if (query.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    const challenge = query.get('code_challenge') ?? '';
    if (query.get('code_challenge_method') !== 'S256' || !PKCE_CHALLENGE.test(challenge)) {
      return back({ error: 'invalid_request', error_description: 'PKCE S256 is required' });
    }
    if (reject) return back({ error: 'access_denied', error_description: 'The user said no' });
    const code = opaque('code');
    codes.set(code, { redirectUri, challenge, expiresAt: Date.now() + 60_000 });
    return back({ code });
  };

  const exchangeCode = (form: URLSearchParams): FakeReply => {
    const code = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    if (code === undefined || code.expiresAt < Date.now()) {
      return oauthError(400, 'invalid_grant', 'unknown, used or expired code');
    }
    if (form.get('redirect_uri') !== code.redirectUri) {
      return oauthError(400, 'invalid_grant', 'redirect_uri does not match');
    }
    const verifier = form.get('code_verifier') ?? '';
    const digest = createHash('sha256').update(verifier).digest('base64url');
    if (!PKCE_VERIFIER.test(verifier) || digest !== code.challenge) {
      return oauthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    }
    return tokenReply(startFamily());
  };

  const refresh = (form: URLSearchParams): FakeReply => {
    const presented = form.get('refresh_token') ?? '';
    const family = familyOf.get(presented);
    if (family === undefined) return oauthError(400, 'invalid_grant', 'unknown refresh token');
    if (family.revoked) return oauthError(400, 'invalid_grant', 'the refresh token was revoked');
    if (presented !== family.current) {
      family.revoked = true;
      revokedFamilies += 1;
      return oauthError(
        400,
        'invalid_grant',
        'refresh token reuse detected: the family is revoked',
      );
    }
    refreshes += 1;
    if (options.rotate === false) return tokenReply(presented);
    const next = opaque('rt');
    family.current = next;
    familyOf.set(next, family);
    return tokenReply(next);
  };

  const server = await startFakeServer((request, mode) => {
    if (request.url.pathname === '/oauth2/authorize' && request.method === 'GET') {
      return authorize(request, mode === 'reject');
    }
    if (request.url.pathname !== '/oauth2/token') return oauthError(404, 'not_found', 'Not found');
    if (request.method !== 'POST') return oauthError(405, 'invalid_request', 'POST required');
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
    if (contentType !== 'application/x-www-form-urlencoded') {
      return oauthError(400, 'invalid_request', 'a form body is required');
    }
    const form = new URLSearchParams(request.body);
    const client = authenticateOAuth2Client(request, form, options.client, policy);
    if (typeof client === 'string') return oauthError(401, 'invalid_client', client);
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return exchangeCode(form);
    if (grantType === 'refresh_token') return refresh(form);
    return oauthError(400, 'unsupported_grant_type', `grant_type ${grantType} is not supported`);
  }, options);
  const tokenUrl = `${server.url}/oauth2/token`;
  policy.audience = tokenUrl;
  const counters = Object.defineProperties(server, {
    revokedFamilies: { get: () => revokedFamilies },
    refreshes: { get: () => refreshes },
  }) as FakeProviderServer & Pick<FakeRotatingOAuth2Server, 'revokedFamilies' | 'refreshes'>;
  return Object.assign(counters, {
    tokenUrl,
    authorizeUrl: `${server.url}/oauth2/authorize`,
    issueRefreshToken: startFamily,
    currentRefreshToken: (of: string) => {
      const family = familyOf.get(of);
      return family === undefined || family.revoked ? undefined : family.current;
    },
  });
}
