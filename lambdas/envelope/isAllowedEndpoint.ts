/** Loopback names; besides them any 127.x.y.z address (not a DNS name starting with "127."). */
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a URL may carry credentials or tokens: https anywhere, plain http only to a loopback
 * host (local tests and the demo).
 *
 * @example
 * isAllowedEndpoint(new URL('http://127.0.0.1:8080')); // => true
 * isAllowedEndpoint(new URL('http://api.example.org')); // => false
 */
export function isAllowedEndpoint(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return (
    url.protocol === 'http:' &&
    (loopbackHosts.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname))
  );
}
