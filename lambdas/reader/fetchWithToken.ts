import { getDefaultTokenReader } from './defaultTokenReader.ts';

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
