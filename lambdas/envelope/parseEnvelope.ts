import { isHeaderSafe, isHttpToken, isVisibleAscii } from './headerSafety.ts';
import { isAllowedEndpoint } from './isAllowedEndpoint.ts';
import { TOKEN_LIFETIME } from './lifetimes.ts';
import { ENVELOPE_VERSION, type EnvelopeParseResult, type TokenEnvelope } from './TokenEnvelope.ts';

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
