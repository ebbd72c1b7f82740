import { revealsSecret } from './revealsSecret.ts';
import { secretForms } from './secretForms.ts';

/** Longest detail taken from a server's answer into an error message. */
export const MAX_DETAIL_LENGTH = 200;

/** What replaces a secret, or a whole detail that would still reveal one. */
const REDACTED = '[redacted]';

/** One case-insensitive pattern matching any of `forms` literally, the first (longest) first. */
function literalsPattern(forms: readonly string[]): RegExp {
  const source = forms.map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  try {
    return new RegExp(source, 'giu');
  } catch {
    // A lone surrogate is not valid in a Unicode pattern.
    return new RegExp(source, 'gi');
  }
}

/**
 * Makes text from a server safe for an error message: every form of every secret a server might
 * echo ({@link secretForms}: raw, any case, NFC and NFD, JSON- and PHP-escaped, percent-encoded,
 * base64) replaced by `[redacted]`; then, if a decoding still reveals one ({@link revealsSecret}),
 * the whole text is `[redacted]`. Control characters and line breaks are folded to spaces and the
 * length capped last, so a cut never leaves part of a secret.
 *
 * @example
 * sanitiseDetail('bad password hunter2\n', ['hunter2']); // => 'bad password [redacted]'
 */
export function sanitiseDetail(text: string, secrets: readonly string[]): string {
  const forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  let result = forms.length === 0 ? text : text.replace(literalsPattern(forms), REDACTED);
  if (revealsSecret(result, secrets)) return REDACTED;
  result = result
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return result.length > MAX_DETAIL_LENGTH ? `${result.slice(0, MAX_DETAIL_LENGTH - 1)}…` : result;
}
