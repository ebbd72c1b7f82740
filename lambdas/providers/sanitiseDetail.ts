import { formUrlEncode } from './encoding.ts';

/**
 * Keeping secrets out of error messages: the forms in which a server may echo a secret
 * ({@link secretForms}), the decodings that would still reveal one ({@link revealsSecret}), and
 * {@link sanitiseDetail}, which applies both to text from a server.
 */

/** `\uXXXX` for one UTF-16 code unit, in lower- or upper-case hex. */
function unicodeEscape(unit: string, upper: boolean): string {
  const hex = unit.charCodeAt(0).toString(16).padStart(4, '0');
  return `\\u${upper ? hex.toUpperCase() : hex}`;
}

/**
 * A string as JSON encoders write it inside quotes: standard (`JSON.stringify`), and PHP-style
 * with every non-ASCII character as `\u00f6` (or `\u00F6`) and `/` as `\/`.
 */
function jsonForms(text: string): string[] {
  const standard = JSON.stringify(text).slice(1, -1);
  const forms = [standard, standard.replaceAll('/', '\\/')];
  for (const upper of [false, true]) {
    const ascii = standard.replace(/[^\x20-\x7e]/g, (unit) => unicodeEscape(unit, upper));
    forms.push(ascii, ascii.replaceAll('/', '\\/'));
  }
  return forms;
}

/** Every UTF-8 byte but letters, digits and `-_.` as `%XX` (PHP `urlencode`), space as `+` or `%20`. */
function percentEncodeAll(text: string, spaceAsPlus: boolean): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      if (/[A-Za-z0-9._-]/.test(char)) return char;
      if (byte === 0x20 && spaceAsPlus) return '+';
      return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** Percent-encoded forms, each with upper- and lower-case hex digits. */
function percentForms(text: string): string[] {
  const upper = [
    encodeURIComponent(text),
    formUrlEncode(text),
    percentEncodeAll(text, false),
    percentEncodeAll(text, true),
  ];
  return upper.flatMap((form) => [form, form.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())]);
}

/** Base64 and base64url of the UTF-8 bytes, with and without `=` padding. */
function base64Forms(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const standard = bytes.toString('base64');
  const url = bytes.toString('base64url');
  return [
    standard,
    standard.replace(/=+$/, ''),
    url,
    `${url}${'='.repeat((4 - (url.length % 4)) % 4)}`,
  ];
}

/**
 * The forms in which a server may echo a secret it received: as is, in Unicode NFC and NFD, upper-
 * and lower-cased, JSON-escaped (standard and PHP-style `\u00f6`, `\/`), percent-encoded (`%2f`
 * and `%2F`, `+` for space), and as base64 or base64url. Longest first, so a form that contains
 * another is replaced whole.
 *
 * @example
 * secretForms('pä/ss').includes('p\\u00e4\\/ss'); // => true
 */
function secretForms(secret: string): string[] {
  if (secret === '') return [];
  const variants = new Set<string>();
  for (const normalised of new Set([secret, secret.normalize('NFC'), secret.normalize('NFD')])) {
    for (const cased of new Set([normalised, normalised.toUpperCase(), normalised.toLowerCase()])) {
      variants.add(cased);
    }
  }
  const forms = new Set<string>();
  for (const variant of variants) {
    for (const form of [
      variant,
      ...jsonForms(variant),
      ...percentForms(variant),
      ...base64Forms(variant),
    ]) {
      if (form !== '') forms.add(form);
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

const JSON_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Undoes JSON string escapes (`\u00f6`, `\/`, `\"`, ...) wherever they appear, leniently. */
function jsonUnescape(text: string): string {
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g, (_, hex?: string, char?: string) =>
    hex === undefined
      ? (JSON_ESCAPES[char ?? ''] ?? '')
      : String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** Undoes percent-encoding (either case) and `+` for space, leniently: bad sequences stay. */
function percentDecode(text: string): string {
  return text
    .replace(/\+/g, ' ')
    .replace(/(?:%[0-9a-fA-F]{2})+/g, (run) =>
      Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'),
    );
}

/**
 * The UTF-8 text of every base64 or base64url run, decoded from each of its first 4 offsets (so
 * a run that starts mid-encoding still decodes), one per line.
 */
function base64Decoded(text: string): string {
  const runs = text.match(/[A-Za-z0-9+/_-]{4,}/g) ?? [];
  return runs
    .flatMap((run) =>
      [0, 1, 2, 3].map((offset) => Buffer.from(run.slice(offset), 'base64').toString('utf8')),
    )
    .join('\n');
}

/** A text with its JSON escapes undone, its percent-encoding undone, and both in either order. */
function unescapings(text: string): string[] {
  const json = jsonUnescape(text);
  const percent = percentDecode(text);
  return [...new Set([text, json, percent, percentDecode(json), jsonUnescape(percent)])];
}

/** Shortest secret looked for in base64-decoded text, where a shorter one would turn up by chance. */
const MIN_BASE64_SECRET_LENGTH = 4;

/** Whether a canonical view contains any of the canonical secrets. */
function showsAny(
  [lower, upper]: readonly [string, string],
  secrets: readonly (readonly [string, string])[],
): boolean {
  return secrets.some(
    ([secretLower, secretUpper]) => lower.includes(secretLower) || upper.includes(secretUpper),
  );
}

/** The text compared for a secret: Unicode NFC, then in one case. */
function canonicalForms(text: string): [string, string] {
  const composed = text.normalize('NFC');
  return [composed.toLowerCase(), composed.toUpperCase()];
}

/**
 * Whether a text still reveals a secret once decoded the ways a server may have encoded it: JSON
 * escapes, percent-encoding, base64, alone and layered (escapes inside base64 too), compared in
 * any case and in Unicode NFC (secrets under 4 characters are not looked for in base64, where
 * they would turn up by chance). A check after redaction, for forms no list of encodings foresaw.
 *
 * @example
 * revealsSecret('echo: cGFzc3dvcmQ=', ['password']); // => true
 */
function revealsSecret(text: string, secrets: readonly string[]): boolean {
  const wanted = secrets.filter((secret) => secret !== '').map(canonicalForms);
  if (wanted.length === 0) return false;
  const unescaped = unescapings(text);
  if (unescaped.map(canonicalForms).some((view) => showsAny(view, wanted))) return true;
  // Decoding arbitrary words as base64 gives random bytes: only a longer secret is a real finding.
  const long = wanted.filter(([lower]) => [...lower].length >= MIN_BASE64_SECRET_LENGTH);
  if (long.length === 0) return false;
  return unescaped
    .flatMap((view) => unescapings(base64Decoded(view)))
    .map(canonicalForms)
    .some((view) => showsAny(view, long));
}

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
