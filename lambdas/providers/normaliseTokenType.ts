/** An RFC 9110 token: what an Authorization scheme may be. */
const AUTH_SCHEME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

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
  if (typeof tokenType !== 'string' || !AUTH_SCHEME.test(tokenType)) return undefined;
  return tokenType.toLowerCase() === 'bearer' ? 'Bearer' : tokenType;
}
