import type { TokenEnvelope } from '../../../lambdas/reader/contract/index.ts';

/** RFC 9110 §5.6.2 token characters. */
export const HTTP_TOKEN_CHARS =
  "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?Z$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Whether a string is an ISO 8601 UTC instant of a real date and time, decided from its digits. */
export function isRealInstant(value: string): boolean {
  const match = INSTANT.exec(value);
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour < 24 &&
    minute < 60 &&
    second < 60
  );
}

const isTokenChars = (value: string) =>
  value.length > 0 && [...value].every((char) => HTTP_TOKEN_CHARS.includes(char));
const isHeaderValue = (value: string) => /^[\t\x20-\x7e]*$/.test(value);

/**
 * What is wrong with an envelope a parser accepted, judged independently of the parser: the
 * token's characters, the scheme, real instants in order, the lifetime bound, the headers and the
 * baseUrl. `undefined` when nothing is.
 */
export function envelopeViolation(
  envelope: TokenEnvelope,
  maxLifetimeMs: number,
): string | undefined {
  if (!/^[\x21-\x7e]+$/.test(envelope.token)) return 'token is not visible ASCII';
  if (!isTokenChars(envelope.tokenType)) return 'tokenType is not one token';
  for (const field of ['issuedAt', 'expiresAt', 'refreshAt'] as const) {
    if (!isRealInstant(envelope[field])) return `${field} is not a real instant`;
  }
  const issued = Date.parse(envelope.issuedAt);
  const expires = Date.parse(envelope.expiresAt);
  const refresh = Date.parse(envelope.refreshAt);
  if (!(issued < expires && issued <= refresh && refresh <= expires))
    return 'instants out of order';
  if (expires - issued > maxLifetimeMs) return 'lifetime beyond the cap';
  for (const [name, value] of Object.entries(envelope.headers)) {
    if (!isTokenChars(name) || typeof value !== 'string' || !isHeaderValue(value)) {
      return 'a header is unsafe';
    }
  }
  if (envelope.baseUrl !== undefined) {
    const url = new URL(envelope.baseUrl);
    const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname);
    if (!(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
      return 'baseUrl is not https';
    }
    if (url.username !== '' || url.password !== '') return 'baseUrl has user info';
  }
  return undefined;
}
