import { ResponseTooLargeError } from './errors.ts';

/**
 * Reads a response body as UTF-8, streaming, and stops (cancelling the stream) as soon as it is
 * larger than `maxBytes`, so a hostile or broken server cannot exhaust memory.
 *
 * @throws {ResponseTooLargeError} when the body is larger than `maxBytes`
 */
export async function readCappedBody(
  response: Response,
  maxBytes: number,
  origin: string,
): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new ResponseTooLargeError(origin, maxBytes);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ResponseTooLargeError(origin, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
