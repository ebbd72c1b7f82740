/**
 * Reading JSON of unknown shape, as servers, files and stack config hand it over: lenient
 * parsing, the object check, and RFC 6901 JSON Pointers (`""` is the whole document, `/a/0/b~1c`
 * the member `b/c` of the first item of `a`; `~1` is `/`, `~0` is `~`).
 */

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The parsed JSON value of a text, or `undefined` when it is not JSON (an HTML error page, plain
 * text). For reading error bodies, where any shape is possible; the syntax error is dropped,
 * since its message quotes the text.
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

/** Whether a string is a syntactically valid JSON Pointer (RFC 6901 §3). */
export function isJsonPointer(pointer: string): boolean {
  return pointer === '' || /^(\/([^~]|~[01])*)+$/u.test(pointer);
}

/**
 * The value a JSON Pointer refers to in a parsed JSON document, or `undefined` when there is none
 * (a missing member, an index out of range, or a step into a scalar).
 *
 * @example
 * resolveJsonPointer({ data: { token: 'abc' } }, '/data/token'); // => 'abc'
 * resolveJsonPointer({ items: ['x', 'y'] }, '/items/1'); // => 'y'
 * @throws {SyntaxError} when the pointer is not valid (see {@link isJsonPointer})
 */
export function resolveJsonPointer(document: unknown, pointer: string): unknown {
  if (!isJsonPointer(pointer)) throw new SyntaxError('not an RFC 6901 JSON Pointer');
  if (pointer === '') return document;
  let value = document;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      value = value[Number(token)];
    } else if (isRecord(value) && Object.hasOwn(value, token)) {
      value = value[token];
    } else {
      return undefined;
    }
  }
  return value;
}
