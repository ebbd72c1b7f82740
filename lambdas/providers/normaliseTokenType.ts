import { isHttpToken } from '../reader/contract/index.ts';

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
