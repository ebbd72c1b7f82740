/**
 * The forms in which a secret or token could leak into output, written independently of the
 * product's redactor: as is and in Unicode NFD, JSON-escaped (also with non-ASCII as `\u00f6`
 * and `/` as `\/`), percent-encoded (upper- and lower-case hex, `+` for a space), and base64 or
 * base64url with and without padding.
 *
 * @example
 * leakForms('pä/ss').includes('p%C3%A4%2Fss'); // => true
 */
export function leakForms(secret: string): string[] {
  const percent = encodeURIComponent(secret);
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = bytes.toString('base64');
  const json = JSON.stringify(secret).slice(1, -1);
  const asciiJson = json.replace(
    /[^\x20-\x7e]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return [
    ...new Set([
      secret,
      secret.normalize('NFD'),
      json,
      asciiJson,
      asciiJson.replaceAll('/', '\\/'),
      percent,
      percent.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
      percent.replaceAll('%20', '+'),
      base64,
      base64.replace(/=+$/, ''),
      bytes.toString('base64url'),
    ]),
  ];
}

/** The HTTP Basic credentials of an id and a secret (`base64(id:secret)`), as a client sends them. */
export function basicForms(id: string, secret: string): string[] {
  return [
    Buffer.from(`${id}:${secret}`, 'utf8').toString('base64'),
    Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`, 'utf8').toString(
      'base64',
    ),
  ];
}

/** One place where a secret was found: what was found (never the secret itself) and where. */
export interface Leak {
  /** Where, such as `logs` or `parameter /token-broker/test/idp`. */
  readonly place: string;
  /** Which secret, by label (such as `idp.clientSecret`), never its value. */
  readonly secret: string;
}

/**
 * Every (place, secret) pair where one of a secret's {@link leakForms} occurs in a place's text.
 *
 * @param places - text by place name
 * @param secrets - the value of each secret by label
 */
export function findLeaks(
  places: Readonly<Record<string, string>>,
  secrets: Readonly<Record<string, readonly string[]>>,
): Leak[] {
  return Object.entries(places).flatMap(([place, text]) =>
    Object.entries(secrets)
      .filter(([, forms]) => forms.some((form) => form !== '' && text.includes(form)))
      .map(([secret]) => ({ place, secret })),
  );
}
