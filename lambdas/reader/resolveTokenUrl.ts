import type { TokenEnvelope } from '../envelope/TokenEnvelope.ts';

/**
 * Resolves a request URL against the envelope's `baseUrl` (WHATWG URL rules: `/api/x` replaces the
 * base's path). An absolute URL must have the same origin as `baseUrl`, so a token is never sent
 * to another host by mistake; without a `baseUrl`, only absolute URLs are accepted.
 *
 * @example
 * ```ts
 * resolveTokenUrl('/api/json/item/id/1', envelope); // https://api.cw.crisisworks.com/api/json/item/id/1
 * ```
 * @throws {TypeError} when the URL cannot be resolved or points to another origin
 */
export function resolveTokenUrl(url: string | URL, envelope: TokenEnvelope): URL {
  const { baseUrl, name } = envelope;
  if (baseUrl === undefined) {
    if (url instanceof URL || URL.canParse(url)) return new URL(url);
    throw new TypeError(
      `token "${name}" has no baseUrl, so the request URL "${String(url)}" must be absolute`,
    );
  }
  const resolved = new URL(url, baseUrl);
  const expected = new URL(baseUrl).origin;
  if (resolved.origin !== expected) {
    throw new TypeError(
      `token "${name}" is for ${expected}; refusing to send it to ${resolved.origin}`,
    );
  }
  return resolved;
}
