import { makeUnsignedJwt } from './makeUnsignedJwt.ts';
import {
  type FakeProviderServer,
  type FakeReply,
  type FakeRequest,
  type FakeServerOptions,
  startFakeServer,
} from './startFakeServer.ts';
import { TotpVerifier } from './TotpVerifier.ts';

/** The account a fake Crisisworks site accepts. */
export interface FakeCrisisworksOptions extends FakeServerOptions {
  /** The site code expected in `X-Site`. */
  readonly site: string;
  readonly username: string;
  readonly password: string;
  /** When set, `mfaCode` is required and checked (replays refused). */
  readonly totpSecret?: string;
  /** Lifetime of issued tokens (default 3600: "the access token will have a 1 hour expiry"). */
  readonly tokenLifetimeSeconds?: number;
  /** Whether issued JWTs carry `exp` (default true). */
  readonly jwtExp?: boolean;
}

const BODY_FIELDS = ['version', 'uuid', 'platform', 'name', 'username', 'password'] as const;
const OPTIONAL_FIELDS = ['mfaCode'] as const;
const INVALID_CREDENTIALS: FakeReply = {
  status: 401,
  body: { status: 401, message: 'Invalid user, password or mfaCode' },
};

function invalidInput(message: string): FakeReply {
  return { status: 400, body: { status: 400, message } };
}

function isJsonUtf8(contentType: string | undefined): boolean {
  const [type, ...parameters] = (contentType ?? '').split(';').map((part) => part.trim());
  return (
    type?.toLowerCase() === 'application/json' &&
    parameters.some((parameter) => /^charset="?utf-8"?$/i.test(parameter))
  );
}

/** The error reply when the request breaks the documented format, else its parsed body. */
function checkRequest(
  request: FakeRequest,
  site: string,
): { reply: FakeReply } | { body: Record<string, string> } {
  if (request.url.pathname !== '/api/json/auth') {
    return { reply: { status: 404, body: { status: 404, message: 'Not found' } } };
  }
  if (request.method !== 'POST') {
    return { reply: { status: 405, body: { status: 405, message: 'Method not allowed' } } };
  }
  if (!(request.headers.accept ?? '').toLowerCase().includes('application/json')) {
    return { reply: invalidInput('Accept must be application/json') };
  }
  if (!isJsonUtf8(request.headers['content-type'])) {
    return { reply: invalidInput('Content-Type must be application/json;charset=UTF-8') };
  }
  if (request.headers['x-site'] !== site) return { reply: invalidInput('Unknown site') };
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return { reply: invalidInput('Body is not JSON') };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { reply: invalidInput('Body is not a JSON object') };
  }
  const record = body as Record<string, unknown>;
  const allowed = new Set<string>([...BODY_FIELDS, ...OPTIONAL_FIELDS]);
  const unknown = Object.keys(record).find((key) => !allowed.has(key));
  if (unknown !== undefined) return { reply: invalidInput(`Unknown field ${unknown}`) };
  const missing = BODY_FIELDS.find((key) => typeof record[key] !== 'string' || record[key] === '');
  if (missing !== undefined) return { reply: invalidInput(`Missing field ${missing}`) };
  if (record.mfaCode !== undefined && typeof record.mfaCode !== 'string') {
    return { reply: invalidInput('mfaCode must be a string') };
  }
  return { body: record as Record<string, string> };
}

/**
 * `GET /api/json/ping`, the reference's example of an authenticated call: `Authorization: Bearer
 * {token}` of an unexpired token this server issued, and `X-Site`. The reference does not show the
 * reply's body; this fake answers `{status: 200, message: "pong"}`, or 401 `{status, message}`.
 */
function ping(
  request: FakeRequest,
  site: string,
  issued: ReadonlyMap<string, number>,
  now: () => number,
): FakeReply {
  if (request.method !== 'GET') {
    return { status: 405, body: { status: 405, message: 'Method not allowed' } };
  }
  if (request.headers['x-site'] !== site) return invalidInput('Unknown site');
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const expiresAt = issued.get(token);
  if (expiresAt === undefined || expiresAt <= now() / 1000) {
    return { status: 401, body: { status: 401, message: 'Invalid or expired token' } };
  }
  return { status: 200, body: { status: 200, message: 'pong' } };
}

/**
 * Starts a fake Crisisworks API that follows the vendor's documented API (docs/vendors.md):
 * `POST /api/json/auth` with `Accept`, `Content-Type: application/json;charset=UTF-8`, `X-Site`
 * and the JSON body `version, uuid, platform, name, username, password[, mfaCode]`; answers
 * `{status: 200, token, type: "accessToken"}`, or 401 `{status, message}` for bad credentials,
 * 400 for invalid input. `GET /api/json/ping` checks a token it issued (see {@link ping}).
 *
 * @example
 * const cw = await startFakeCrisisworks({ site: 'sandbox', username: 'api', password: 'pw' });
 */
export function startFakeCrisisworks(options: FakeCrisisworksOptions): Promise<FakeProviderServer> {
  const verifier =
    options.totpSecret === undefined ? undefined : new TotpVerifier(options.totpSecret);
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const issued = new Map<string, number>();
  const clock = options.now ?? Date.now;
  return startFakeServer((request, mode) => {
    if (request.url.pathname === '/api/json/ping') {
      return ping(request, options.site, issued, clock);
    }
    const checked = checkRequest(request, options.site);
    if ('reply' in checked) return checked.reply;
    const { username, password, mfaCode } = checked.body;
    if (mode === 'reject' || username !== options.username || password !== options.password) {
      return INVALID_CREDENTIALS;
    }
    if (verifier !== undefined && verifier.verify(mfaCode ?? '', clock()) !== 'accepted') {
      return INVALID_CREDENTIALS;
    }
    const now = Math.floor(clock() / 1000);
    const token = makeUnsignedJwt({
      iss: 'crisisworks',
      sub: username,
      site: options.site,
      iat: now,
      ...(options.jwtExp === false ? {} : { exp: now + lifetime }),
    });
    issued.set(token, now + lifetime);
    return { status: 200, body: { status: 200, token, type: 'accessToken' }, issuedToken: token };
  }, options);
}
