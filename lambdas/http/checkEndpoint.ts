import { isAllowedEndpoint } from '../config/urls.ts';
import { InsecureUrlError } from './errors.ts';

/**
 * Checks that a URL may carry credentials: https, or http to a loopback host; no user info.
 *
 * @example
 * checkEndpoint('https://idp.example.org/token'); // => URL
 * @throws {InsecureUrlError} naming the origin only
 */
export function checkEndpoint(url: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined) throw new InsecureUrlError('the endpoint is not an absolute URL');
  if (!isAllowedEndpoint(parsed)) {
    throw new InsecureUrlError(
      `refusing ${parsed.protocol}//${parsed.host}: use https (plain http only for loopback hosts)`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new InsecureUrlError(`refusing a URL with user info for ${parsed.origin}`);
  }
  return parsed;
}
