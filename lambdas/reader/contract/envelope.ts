/**
 * The token envelope, the contract between the refresher, which publishes it, and every reader:
 * its shape, the bounds of its lifetime, its validation, and how a token parameter's value reads.
 */
import { isAllowedEndpoint, isHeaderSafe, isHttpToken, isVisibleAscii } from './wireSafety.ts';

/** The envelope format version this code writes and reads. */
export const ENVELOPE_VERSION = 1;

/**
 * The token envelope: the JSON value of the SSM parameter `{parameterPrefix}/{name}`, and the
 * contract with every downstream reader (README, "How it works"). Instants are ISO 8601 strings in UTC.
 */
export interface TokenEnvelope {
  readonly version: typeof ENVELOPE_VERSION;
  /** The provider instance's name. */
  readonly name: string;
  /** The provider type, such as `crisisworks`. */
  readonly provider: string;
  /** The Authorization scheme, such as `Bearer`. */
  readonly tokenType: string;
  readonly token: string;
  readonly issuedAt: string;
  /** When the token stops working; never later than the server said. */
  readonly expiresAt: string;
  /** When the refresher will replace it, well ahead of `expiresAt`. */
  readonly refreshAt: string;
  /** The API the token is for: readers resolve relative URLs against it. */
  readonly baseUrl?: string;
  /** Extra headers every call to that API needs, such as `X-Site`. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Result of {@link parseEnvelope}: the envelope, or why the value is not one. */
export type EnvelopeParseResult =
  | { readonly ok: true; readonly envelope: TokenEnvelope }
  | { readonly ok: false; readonly reason: string };

/**
 * The value a token parameter holds between its creation by `pulumi up` and the refresher's first
 * publish. Readers treat it as "not published yet", the refresher as missing.
 */
export const PENDING_TOKEN_VALUE = '{"pending":true}';

/**
 * Bounds of a token's lifetime (`expiresAt` minus `issuedAt`), in seconds, shared by the
 * refresher, which caps and refuses lifetimes, and the readers.
 *
 * @example
 * const capMs = (instance.maxLifetimeSeconds ?? TOKEN_LIFETIME.defaultMaxSeconds) * 1000;
 */
export const TOKEN_LIFETIME = {
  /** Shortest lifetime accepted: a reader hands out no token valid for less (its default minimum validity). */
  minSeconds: 60,
  /** Cap of a lifetime when the instance sets no `maxLifetimeSeconds`: 24 h. */
  defaultMaxSeconds: 86_400,
  /** Largest `maxLifetimeSeconds`, and longest lifetime an envelope may state: 365 days. */
  maxSeconds: 31_536_000,
} as const;

const ENVELOPE_KEYS = new Set([
  'version',
  'name',
  'provider',
  'tokenType',
  'token',
  'issuedAt',
  'expiresAt',
  'refreshAt',
  'baseUrl',
  'headers',
]);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * Whether a value is an ISO 8601 UTC instant of a real calendar date and time: `Date.parse`
 * alone rolls `2026-02-30` over to March and accepts hour 24.
 */
function isIsoInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === value.slice(0, 19);
}

/**
 * Validates a token envelope. Written by hand, without a schema library, so the reader library
 * stays dependency-free. Reasons never include the token.
 *
 * @param value - the parsed JSON value of a token parameter
 */
export function parseEnvelope(value: unknown): EnvelopeParseResult {
  const reason = findProblem(value);
  return reason === undefined
    ? { ok: true, envelope: value as TokenEnvelope }
    : { ok: false, reason };
}

/**
 * Parses the JSON text of a token parameter and validates it.
 */
export function parseEnvelopeJson(text: string): EnvelopeParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the value is not JSON' };
  }
  return parseEnvelope(value);
}

function findProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'the value is not a JSON object';
  }
  const record = value as Record<string, unknown>;
  const unknownKey = Object.keys(record).find((key) => !ENVELOPE_KEYS.has(key));
  if (unknownKey !== undefined) return `unknown field "${unknownKey}"`;
  if (record.version !== ENVELOPE_VERSION)
    return `unsupported version (expected ${ENVELOPE_VERSION})`;
  for (const field of ['name', 'provider', 'tokenType', 'token'] as const) {
    const text = record[field];
    if (typeof text !== 'string' || text.length === 0)
      return `"${field}" must be a non-empty string`;
    if (!isHeaderSafe(text)) return `"${field}" contains characters not allowed in an HTTP header`;
  }
  if (!isHttpToken(record.tokenType as string)) {
    return '"tokenType" must be an HTTP authentication scheme (one RFC 9110 token)';
  }
  if (!isVisibleAscii(record.token as string)) {
    return '"token" must be visible ASCII characters only (no spaces, tabs or controls)';
  }
  for (const field of ['issuedAt', 'expiresAt', 'refreshAt'] as const) {
    if (!isIsoInstant(record[field])) return `"${field}" must be an ISO 8601 UTC instant`;
  }
  const issuedAt = Date.parse(record.issuedAt as string);
  const expiresAt = Date.parse(record.expiresAt as string);
  const refreshAt = Date.parse(record.refreshAt as string);
  if (!(issuedAt < expiresAt)) return '"expiresAt" must be after "issuedAt"';
  if (expiresAt - issuedAt > TOKEN_LIFETIME.maxSeconds * 1000) {
    return `"expiresAt" must be at most ${TOKEN_LIFETIME.maxSeconds} s after "issuedAt"`;
  }
  if (refreshAt < issuedAt || refreshAt > expiresAt)
    return '"refreshAt" must lie between "issuedAt" and "expiresAt"';
  if (record.baseUrl !== undefined) {
    const problem = findBaseUrlProblem(record.baseUrl);
    if (problem !== undefined) return problem;
  }
  return findHeadersProblem(record.headers);
}

function findHeadersProblem(headers: unknown): string | undefined {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    return '"headers" must be an object of strings';
  }
  for (const [key, headerValue] of Object.entries(headers)) {
    if (!isHttpToken(key)) return `header name "${key}" is not a valid token`;
    if (typeof headerValue !== 'string' || !isHeaderSafe(headerValue)) {
      return `header "${key}" must be a header-safe string`;
    }
  }
  return undefined;
}

function findBaseUrlProblem(baseUrl: unknown): string | undefined {
  if (typeof baseUrl !== 'string' || !URL.canParse(baseUrl)) {
    return '"baseUrl" must be an absolute URL';
  }
  const url = new URL(baseUrl);
  if (!isAllowedEndpoint(url) || url.username !== '' || url.password !== '') {
    return '"baseUrl" must use https (plain http only for loopback hosts), without user info';
  }
  return undefined;
}

/** What the value of an instance's token parameter holds. */
export type TokenParameterValue =
  /** {@link PENDING_TOKEN_VALUE}: the parameter exists, but no token was published yet. */
  | { readonly kind: 'pending' }
  /** Not a valid envelope for the instance; `reason` never includes the value. */
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'present'; readonly envelope: TokenEnvelope };

/**
 * Classifies the decrypted value of an instance's token parameter, the one rule the refresher and
 * the readers share: the deployment's placeholder is pending, and only a valid envelope naming
 * `instance` is present (one for another instance is unreadable). Does not judge expiry.
 *
 * @param instance - the instance whose parameter holds `value`
 * @param value - the parameter's value
 *
 * @example
 * parseTokenParameterValue('cw', '{"pending":true}'); // => { kind: 'pending' }
 */
export function parseTokenParameterValue(instance: string, value: string): TokenParameterValue {
  if (value === PENDING_TOKEN_VALUE) return { kind: 'pending' };
  const parsed = parseEnvelopeJson(value);
  if (!parsed.ok) return { kind: 'unreadable', reason: parsed.reason };
  if (parsed.envelope.name !== instance) {
    return {
      kind: 'unreadable',
      reason: `it is the token of instance "${parsed.envelope.name}"`,
    };
  }
  return { kind: 'present', envelope: parsed.envelope };
}
