import type { TokenEnvelope } from './contract/envelope.ts';
import { isAllowedEndpoint } from './contract/wireSafety.ts';
import { TokenDestinationError } from './errors.ts';

/** The request URL: resolved against `baseUrl` on its origin, or absolute (and allowed) without one. */
function locate(url: string | URL, envelope: TokenEnvelope, allowedOrigins?: readonly string[]) {
  const { baseUrl, name } = envelope;
  if (baseUrl !== undefined) {
    const resolved = new URL(url, baseUrl);
    const expected = new URL(baseUrl).origin;
    if (resolved.origin !== expected) {
      throw new TokenDestinationError(
        name,
        `token "${name}" is for ${expected}; refusing to send it to ${resolved.origin}`,
      );
    }
    return resolved;
  }
  if (!(url instanceof URL) && !URL.canParse(url)) {
    throw new TokenDestinationError(
      name,
      `token "${name}" has no baseUrl, so the request URL must be absolute`,
    );
  }
  const resolved = new URL(url);
  if (allowedOrigins !== undefined && !allowedOrigins.includes(resolved.origin)) {
    throw new TokenDestinationError(
      name,
      `token "${name}" has no baseUrl and ${resolved.origin} is not among allowedOrigins; refusing to send it there`,
    );
  }
  return resolved;
}

/**
 * Resolves a request URL against the envelope's `baseUrl` (WHATWG URL rules: `/api/x` replaces the
 * base's path), so a token only goes where it belongs: with a `baseUrl`, an absolute URL must have
 * its origin; without one, only absolute URLs are accepted, and only on `allowedOrigins` when
 * they are given. Either way the URL must be https (plain http only for loopback hosts) and carry
 * no user info.
 *
 * @example
 * ```ts
 * resolveTokenUrl('/api/json/item/id/1', envelope); // https://api.cw.crisisworks.com/api/json/item/id/1
 * resolveTokenUrl('https://api.example.org/v1/x', envelopeWithoutBaseUrl, ['https://api.example.org']);
 * ```
 * @param allowedOrigins - origins such as `https://api.example.org` a token without `baseUrl`
 *   may go to (default: any https origin)
 * @throws {TokenDestinationError} (a `TypeError`) when the URL cannot be resolved or is refused
 */
export function resolveTokenUrl(
  url: string | URL,
  envelope: TokenEnvelope,
  allowedOrigins?: readonly string[],
): URL {
  const resolved = locate(url, envelope, allowedOrigins);
  const { name } = envelope;
  if (!isAllowedEndpoint(resolved)) {
    throw new TokenDestinationError(
      name,
      `refusing to send token "${name}" to ${resolved.protocol}//${resolved.host}: https only (plain http only for loopback hosts)`,
    );
  }
  if (resolved.username !== '' || resolved.password !== '') {
    throw new TokenDestinationError(
      name,
      `refusing to send token "${name}" to a URL with user info (${resolved.host})`,
    );
  }
  return resolved;
}
