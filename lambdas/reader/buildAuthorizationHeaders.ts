import type { TokenEnvelope } from './contract/envelope.ts';

/**
 * The headers a call to the envelope's API needs: its extra `headers` (such as `X-Site`) and
 * `Authorization: {tokenType} {token}`. An `Authorization` among the extra headers, in any case,
 * is dropped so the token's one always wins.
 *
 * @example
 * ```ts
 * buildAuthorizationHeaders(envelope); // { 'X-Site': 'sandbox', Authorization: 'Bearer eyJ…' }
 * ```
 */
export function buildAuthorizationHeaders(envelope: TokenEnvelope): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(envelope.headers)) {
    if (key.toLowerCase() !== 'authorization') headers[key] = value;
  }
  headers.Authorization = `${envelope.tokenType} ${envelope.token}`;
  return headers;
}
