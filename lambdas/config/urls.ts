/** Loopback names; besides them any 127.x.y.z address (not a DNS name starting with "127."). */
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a URL may carry credentials or tokens: https anywhere, plain http only to a loopback
 * host (local tests and the demo).
 */
export function isAllowedEndpoint(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return (
    url.protocol === 'http:' &&
    (loopbackHosts.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname))
  );
}

/**
 * Whether a URL carries userinfo (`https://user:password@host`). The configuration is not secret
 * (the CLI, the demo and `brokerConfig` print it), so its URLs must not hold credentials.
 *
 * @example
 * hasUserinfo(new URL('https://app:s3cret@idp.example.org/token')); // => true
 */
export function hasUserinfo(url: URL): boolean {
  return url.username !== '' || url.password !== '';
}
