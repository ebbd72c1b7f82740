import { isAllowedEndpoint } from '../reader/contract/wireSafety.ts';

export { isAllowedEndpoint };

/**
 * What is wrong with a configured endpoint (`baseUrl`, `tokenUrl`), or `undefined` when it is
 * usable: an absolute https URL (plain http only for loopback hosts) without user info, query or
 * fragment, since paths are appended to it. The problem never quotes the value, which may hold a
 * password in its user info.
 *
 * @example
 * endpointProblem('https://api.example.com'); // => undefined
 * endpointProblem('api.example.com'); // => 'must be an absolute URL such as "https://api.example.com"'
 */
export function endpointProblem(value: string): string | undefined {
  if (!URL.canParse(value)) return 'must be an absolute URL such as "https://api.example.com"';
  const url = new URL(value);
  if (!isAllowedEndpoint(url)) {
    return 'must use https (plain http is accepted only for loopback hosts)';
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not contain user info ("user@" or "user:password@"): credentials go in the secret';
  }
  if (url.search !== '' || value.includes('?')) {
    return 'must not have a query ("?…"): paths are appended to it';
  }
  if (url.hash !== '' || value.includes('#')) return 'must not have a fragment ("#…")';
  return undefined;
}
