import type { TokenEnvelope } from './contract/envelope.ts';
import { getDefaultTokenReader } from './defaultTokenReader.ts';
import type { TokenReader } from './TokenReader.ts';
import type { GetTokenOptions } from './TokenReaderOptions.ts';

/**
 * The instance's token envelope, read with the default reader (configured from
 * `TOKEN_BROKER_PARAMETER_PREFIX` and `TOKEN_BROKER_MIN_VALIDITY_SECONDS`). Cached until
 * `expiresAt` minus the minimum validity; concurrent misses share one SSM call; an expired token
 * is never returned. Works at module scope (Lambda INIT) with top-level await.
 *
 * To inject an SSM client, create a `TokenReader` and call its `getToken`.
 *
 * @example
 * ```ts
 * import { getToken } from '@token-broker/reader';
 *
 * const { token, baseUrl, headers } = await getToken('cw-sandbox');
 * ```
 * @param name - the provider instance, such as `cw-sandbox`
 * @param options - `forceFetch` (default false), `minValiditySeconds` (default 60)
 * @throws {TokenNotFoundError} when there is no token parameter, or no token in it yet
 * @throws {TokenExpiredError} when the stored token is valid for less than the minimum validity
 * @throws {MalformedTokenError} when the stored value is not an envelope for `name`
 * @throws {GetTokenError} when SSM fails
 * @throws {ReaderConfigurationError} when no parameter prefix is configured
 */
export function getToken(name: string, options?: GetTokenOptions): Promise<TokenEnvelope> {
  // Not `async`: one promise less on the cached path. A configuration error still rejects.
  let reader: TokenReader;
  try {
    reader = getDefaultTokenReader();
  } catch (error) {
    return Promise.reject(error);
  }
  return reader.getToken(name, options);
}
