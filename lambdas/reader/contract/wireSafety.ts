/**
 * What may carry a credential on the wire: header values and names that cannot split a request,
 * and the URLs that may receive a token.
 */

/** Visible ASCII and space/tab only: nothing that could split or smuggle an HTTP header. */
const HEADER_SAFE = /^[\t\x20-\x7e]*$/;

/** Visible ASCII only: what a credential after `Bearer ` may hold (no space, tab or control). */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** An RFC 9110 §5.6.2 token: what a header name or an Authorization scheme may be. */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Whether a value can be sent in an HTTP header without splitting it (no CR, LF or controls). */
export function isHeaderSafe(value: string): boolean {
  return HEADER_SAFE.test(value);
}

/**
 * Whether a value is an RFC 9110 token, as a header name or an Authorization scheme must be.
 *
 * @example
 * isHttpToken('X-Site'); // => true
 * isHttpToken('Be arer'); // => false
 */
export function isHttpToken(value: string): boolean {
  return HTTP_TOKEN.test(value);
}

/**
 * Whether a value is one or more visible ASCII characters, with no space, tab or control: what a
 * token may be, so `Authorization: Bearer {token}` is one credential and never splits into two.
 *
 * @example
 * isVisibleAscii('eyJ.abc-_~+/='); // => true
 * isVisibleAscii('abc def'); // => false
 */
export function isVisibleAscii(value: string): boolean {
  return VISIBLE_ASCII.test(value);
}

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
