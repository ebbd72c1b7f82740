import { makeUnsignedJwt } from './makeUnsignedJwt.ts';
import { parseBasicAuth } from './parseBasicAuth.ts';
import {
  type FakeProviderServer,
  type FakeReply,
  type FakeRequest,
  type FakeServerOptions,
  startFakeServer,
} from './startFakeServer.ts';
import { TotpVerifier } from './TotpVerifier.ts';

/** An API client the fake accepts. */
export interface FakeCode42ApiClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** A local account the fake accepts; with `totpSecret` the `totp-auth` header is required. */
export interface FakeCode42LocalAccount {
  readonly username: string;
  readonly password: string;
  readonly totpSecret?: string;
}

/** Options of {@link startFakeCode42}. */
export interface FakeCode42Options extends FakeServerOptions {
  readonly apiClients?: readonly FakeCode42ApiClient[];
  readonly localAccounts?: readonly FakeCode42LocalAccount[];
  /** `expires_in` of API client tokens (default 900: "tokens expire in 15 minutes"). */
  readonly apiTokenLifetimeSeconds?: number;
  /** Lifetime (`exp`) of local account tokens (default 1800: "tokens expire in 30 minutes"). */
  readonly userTokenLifetimeSeconds?: number;
  /** Whether local account JWTs carry `exp` (default true). */
  readonly jwtExp?: boolean;
  /**
   * Shape of error bodies: `array` = `[{primaryErrorKey, ...}]` (default), `envelope` = the v3
   * `{data: null, error: [...], warnings: null}`.
   */
  readonly errorStyle?: 'array' | 'envelope';
}

/** The `primaryErrorKey`s this fake answers with. */
export const Code42ErrorKeys = {
  totpRequired: 'TIME_BASED_ONE_TIME_PASSWORD_REQUIRED',
  totpInvalid: 'TIME_BASED_ONE_TIME_PASSWORD_INVALID',
  invalidCredentials: 'INVALID_USERNAME_OR_PASSWORD',
  invalidClient: 'INVALID_CLIENT_CREDENTIALS',
  badRequest: 'BAD_REQUEST',
  notFound: 'NOT_FOUND',
} as const;

function errorReply(
  status: number,
  key: string,
  description: string,
  style: 'array' | 'envelope',
): FakeReply {
  const errors = [
    {
      primaryErrorKey: key,
      otherErrorKeys: [key],
      exceptionClass: 'com.code42.core.auth.AuthenticationException',
      description,
      objects: [],
    },
  ];
  return {
    status,
    body: style === 'array' ? errors : { data: null, error: errors, warnings: null },
  };
}

function acceptsJson(request: FakeRequest): boolean {
  const accept = (request.headers.accept ?? '').toLowerCase();
  return accept.includes('application/json') || accept.includes('*/*');
}

/**
 * Starts a fake Code42 (CrashPlan) console that follows
 * the vendor's documented API (docs/vendors.md):
 * - `POST /api/v3/oauth/token?grant_type=client_credentials` with Basic `clientId:secret` answers
 *   `{access_token, token_type: "bearer", expires_in: 900}`;
 * - `GET /api/v3/auth/jwt?useBody=true` with Basic `username:password` (and `totp-auth` when the
 *   account has MFA) answers `{data: {v3_user_token}, error: null, warnings: null}`;
 * - failures are 401 (or 400/404) with `primaryErrorKey` error bodies, e.g.
 *   `TIME_BASED_ONE_TIME_PASSWORD_REQUIRED` when the code is missing.
 *
 * @example
 * const c42 = await startFakeCode42({ apiClients: [{ clientId: 'key-1', clientSecret: 's' }] });
 */
export function startFakeCode42(options: FakeCode42Options): Promise<FakeProviderServer> {
  const style = options.errorStyle ?? 'array';
  const clock = options.now ?? Date.now;
  const verifiers = new Map<string, TotpVerifier>();
  for (const account of options.localAccounts ?? []) {
    if (account.totpSecret !== undefined) {
      verifiers.set(account.username, new TotpVerifier(account.totpSecret));
    }
  }

  const apiClientToken = (request: FakeRequest, reject: boolean): FakeReply => {
    if (request.method !== 'POST')
      return errorReply(405, Code42ErrorKeys.badRequest, 'Method not allowed', style);
    if (request.url.searchParams.get('grant_type') !== 'client_credentials') {
      return errorReply(
        400,
        Code42ErrorKeys.badRequest,
        'grant_type must be client_credentials',
        style,
      );
    }
    if (!acceptsJson(request))
      return errorReply(406, Code42ErrorKeys.badRequest, 'Not acceptable', style);
    const basic = parseBasicAuth(request.headers.authorization);
    const client = (options.apiClients ?? []).find(
      (candidate) =>
        candidate.clientId === basic?.user && candidate.clientSecret === basic.password,
    );
    if (reject || client === undefined) {
      return errorReply(401, Code42ErrorKeys.invalidClient, 'Invalid client credentials', style);
    }
    const now = Math.floor(clock() / 1000);
    const lifetime = options.apiTokenLifetimeSeconds ?? 900;
    const token = makeUnsignedJwt({
      iss: 'code42',
      sub: client.clientId,
      iat: now,
      exp: now + lifetime,
    });
    return {
      status: 200,
      body: { access_token: token, token_type: 'bearer', expires_in: lifetime },
      issuedToken: token,
    };
  };

  const userToken = (request: FakeRequest, reject: boolean): FakeReply => {
    if (request.method !== 'GET')
      return errorReply(405, Code42ErrorKeys.badRequest, 'Method not allowed', style);
    const basic = parseBasicAuth(request.headers.authorization);
    const account = (options.localAccounts ?? []).find(
      (candidate) => candidate.username === basic?.user && candidate.password === basic.password,
    );
    if (reject || account === undefined) {
      return errorReply(
        401,
        Code42ErrorKeys.invalidCredentials,
        'Invalid username or password',
        style,
      );
    }
    const verifier = verifiers.get(account.username);
    if (verifier !== undefined) {
      const code = request.headers['totp-auth'];
      if (typeof code !== 'string' || code === '') {
        return errorReply(
          401,
          Code42ErrorKeys.totpRequired,
          'TIME_BASED_ONE_TIME_PASSWORD_REQUIRED',
          style,
        );
      }
      if (verifier.verify(code, clock()) !== 'accepted') {
        return errorReply(
          401,
          Code42ErrorKeys.totpInvalid,
          'Invalid time-based one-time password',
          style,
        );
      }
    }
    const now = Math.floor(clock() / 1000);
    const token = makeUnsignedJwt({
      iss: 'code42',
      sub: account.username,
      iat: now,
      ...(options.jwtExp === false
        ? {}
        : { exp: now + (options.userTokenLifetimeSeconds ?? 1800) }),
    });
    if (request.url.searchParams.get('useBody') !== 'true') {
      // Without useBody=true the token goes into a cookie, which API clients cannot use.
      return {
        status: 200,
        headers: { 'Set-Cookie': `C42_JWT_API_TOKEN=${token}; Secure; HttpOnly` },
        body: { data: null, error: null, warnings: null },
      };
    }
    return {
      status: 200,
      body: { data: { v3_user_token: token }, error: null, warnings: null },
      issuedToken: token,
    };
  };

  return startFakeServer((request, mode) => {
    const reject = mode === 'reject';
    switch (request.url.pathname) {
      case '/api/v3/oauth/token':
        return apiClientToken(request, reject);
      case '/api/v3/auth/jwt':
        return userToken(request, reject);
      default:
        return errorReply(404, Code42ErrorKeys.notFound, 'Not found', style);
    }
  }, options);
}
