/** Visible ASCII and space/tab only: nothing that could split or smuggle an HTTP header. */
const HEADER_SAFE = /^[\t\x20-\x7e]*$/;

/** Whether a value can be sent in an HTTP header without splitting it (no CR, LF or controls). */
export function isHeaderSafe(value: string): boolean {
  return HEADER_SAFE.test(value);
}
