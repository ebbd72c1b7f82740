/** The user id and password of an HTTP Basic Authorization header (RFC 7617), decoded as UTF-8. */
export interface BasicCredentials {
  readonly user: string;
  readonly password: string;
}

/**
 * Decodes `Authorization: Basic base64(user:password)`. The user id ends at the first colon, so a
 * password may contain colons. Returns `undefined` when the header is missing or not Basic.
 */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
