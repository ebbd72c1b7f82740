import { formUrlEncode } from './formUrlEncode.ts';

/** Longest detail taken from a server's answer into an error message. */
export const MAX_DETAIL_LENGTH = 200;

/**
 * Makes text from a server safe for an error message: control characters and line breaks folded
 * to spaces, every occurrence of a secret (raw, JSON-escaped, URL- or form-encoded) replaced by
 * `[redacted]`, and the length capped.
 *
 * @example
 * sanitiseDetail('bad password hunter2\n', ['hunter2']); // => 'bad password [redacted]'
 */
export function sanitiseDetail(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret === '') continue;
    const forms = new Set([
      secret,
      JSON.stringify(secret).slice(1, -1),
      encodeURIComponent(secret),
      formUrlEncode(secret),
    ]);
    for (const form of forms) result = result.split(form).join('[redacted]');
  }
  result = result
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return result.length > MAX_DETAIL_LENGTH ? `${result.slice(0, MAX_DETAIL_LENGTH - 1)}…` : result;
}
