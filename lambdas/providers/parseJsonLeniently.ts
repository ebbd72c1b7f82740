/**
 * The parsed JSON value of a server's body, or `undefined` when it is not JSON (an HTML error
 * page, plain text). For reading error bodies, where any shape is possible; the syntax error is
 * dropped, since its message quotes the body.
 *
 * @example
 * parseJsonLeniently('{"error":"invalid_client"}'); // => { error: 'invalid_client' }
 * parseJsonLeniently('<html>'); // => undefined
 */
export function parseJsonLeniently(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
