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
 * A TOTP code as it would leak: the digits standing alone, not inside a longer run of letters or
 * digits (an epoch timestamp or an id may hold the same six digits by chance).
 *
 * @example
 * totpCodeForm('042424').test('"totp-auth":"042424"'); // => true
 */
export function totpCodeForm(code: string): RegExp {
  return new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`);
}

/**
 * Every (place, secret) pair where one of a secret's forms occurs in a place's text: a string
 * ({@link leakForms}, {@link basicForms}) anywhere, a pattern ({@link totpCodeForm}) where it
 * matches.
 *
 * @param places - text by place name
 * @param secrets - the forms of each secret by label
 */
export function findLeaks(
  places: Readonly<Record<string, string>>,
  secrets: Readonly<Record<string, readonly (string | RegExp)[]>>,
): Leak[] {
  const occurs = (text: string, form: string | RegExp) =>
    typeof form === 'string' ? form !== '' && text.includes(form) : form.test(text);
  return Object.entries(places).flatMap(([place, text]) =>
    Object.entries(secrets)
      .filter(([, forms]) => forms.some((form) => occurs(text, form)))
      .map(([secret]) => ({ place, secret })),
  );
}
