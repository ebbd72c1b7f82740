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
export function revealsSecret(text: string, secrets: readonly string[]): boolean {
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
