import { formUrlEncode } from './formUrlEncode.ts';

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
export function secretForms(secret: string): string[] {
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
