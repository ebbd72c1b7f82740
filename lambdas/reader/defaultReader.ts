import type { TokenEnvelope } from './contract/envelope.ts';
import { TokenReader } from './TokenReader.ts';
import type { GetTokenOptions } from './TokenReaderOptions.ts';

let reader: TokenReader | undefined;

/**
 * The reader behind `getToken`, `authorizationHeaders` and `fetchWithToken`: created on first use
 * from the environment (see `ReaderEnvironment`), then shared, so its cache lives as long as the
 * Lambda execution environment.
 *
 * @example
 * ```ts
 * getDefaultTokenReader().clearCache();
 * ```
 * @throws {ReaderConfigurationError} when the environment does not configure a reader
 */
export function getDefaultTokenReader(): TokenReader {
  reader ??= new TokenReader();
  return reader;
}

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

/**
 * `{ Authorization: '{tokenType} {token}', ...envelope.headers }` for the instance, read with the
 * default reader (see `getToken`).
 *
 * @example
 * ```ts
 * import { authorizationHeaders } from '@token-broker/reader';
 *
 * const response = await fetch('https://api.cw.crisisworks.com/api/json/item/id/1', {
 *   headers: await authorizationHeaders('cw-sandbox'),
 * });
 * ```
 * @param name - the provider instance, such as `cw-sandbox`
 * @throws the errors of `getToken`
 */
export async function authorizationHeaders(name: string): Promise<Record<string, string>> {
  return getDefaultTokenReader().authorizationHeaders(name);
}

/**
 * `fetch` with the instance's token, using the default reader (see `getToken`). A relative `url`
 * is resolved against the envelope's `baseUrl`; an absolute one must be on its origin (without a
 * `baseUrl`: on `TOKEN_BROKER_ALLOWED_ORIGINS`, when set), https only (plain http for loopback
 * hosts). Redirects are returned, never followed. On a 401 it drops the cached token, invokes the
 * refresher named by `TOKEN_BROKER_REFRESHER_FUNCTION` (if set) for that instance, reads the token
 * again and retries once.
 *
 * @example
 * ```ts
 * import { fetchWithToken } from '@token-broker/reader';
 *
 * const response = await fetchWithToken('cw-sandbox', '/api/json/item/id/1');
 * ```
 * @param name - the provider instance, such as `cw-sandbox`
 * @param url - relative to the envelope's `baseUrl`, or absolute on the same origin
 * @param init - as for `fetch` (default: a GET)
 * @throws the errors of `getToken`, `TokenRefreshError` when the refresher fails,
 *   `TokenDestinationError` when the token may not go to `url`
 */
export async function fetchWithToken(
  name: string,
  url: string | URL,
  init?: RequestInit,
): Promise<Response> {
  return getDefaultTokenReader().fetchWithToken(name, url, init);
}
