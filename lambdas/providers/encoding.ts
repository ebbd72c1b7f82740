import { isRecord, parseJsonLeniently } from '../config/index.ts';
import { isHttpToken } from '../reader/contract/index.ts';

/**
 * The encodings a login writes and reads: form-urlencoded values and HTTP Basic on the way out,
 * a JWT's `exp` and the `token_type` on the way back.
 */

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 Appendix B). */
export function formUrlEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/**
 * An HTTP Basic `Authorization` value (RFC 7617): `user:password` encoded as UTF-8, then base64.
 * The password may contain colons and any Unicode; the user id may not contain a colon.
 *
 * @example
 * basicAuthorization('api', 'pa:ss wörd'); // => 'Basic YXBpOnBhOnNzIHfDtnJk'
 */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * The `exp` claim (seconds since the epoch) of a JWT, decoded without verifying the signature:
 * the broker only needs to know when the server says the token ends. `undefined` for a token that
 * is not a JWT (opaque), or whose payload has no numeric `exp`.
 *
 * @example
 * decodeJwtExp('eyJhbGciOiJub25lIn0.eyJleHAiOjE3OTU0MzQzNDh9.'); // => 1795434348
 */
export function decodeJwtExp(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined || !/^[A-Za-z0-9_-]+$/.test(parts[1])) {
    return undefined;
  }
  const payload = parseJsonLeniently(Buffer.from(parts[1], 'base64url').toString('utf8'));
  const exp = isRecord(payload) ? payload.exp : undefined;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
}

/**
 * The Authorization scheme for a server's `token_type`: `Bearer` when it is absent or any casing
 * of `bearer` (RFC 6749 §7.1 says it is case-insensitive); another valid scheme as given.
 *
 * @example
 * normaliseTokenType('bearer'); // => 'Bearer'
 * @returns `undefined` when the value is not a valid scheme
 */
export function normaliseTokenType(tokenType: unknown): string | undefined {
  if (tokenType === undefined || tokenType === null) return 'Bearer';
  if (typeof tokenType !== 'string' || !isHttpToken(tokenType)) return undefined;
  return tokenType.toLowerCase() === 'bearer' ? 'Bearer' : tokenType;
}
