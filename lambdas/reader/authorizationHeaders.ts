import { getDefaultTokenReader } from './defaultTokenReader.ts';

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
