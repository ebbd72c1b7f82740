/**
 * The placeholders an `http-json-login` request may carry in its body and header values, and the
 * credentials field each is filled from. `{{totp}}` is the current TOTP code of `totpSecret`.
 */
export const PLACEHOLDER_FIELDS = {
  username: 'username',
  password: 'password',
  totp: 'totpSecret',
  clientId: 'clientId',
  clientSecret: 'clientSecret',
} as const;

/** One of the placeholder names of {@link PLACEHOLDER_FIELDS}. */
export type PlaceholderName = keyof typeof PLACEHOLDER_FIELDS;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Whether a name is one of {@link PLACEHOLDER_FIELDS}. */
export function isPlaceholderName(name: string): name is PlaceholderName {
  return Object.hasOwn(PLACEHOLDER_FIELDS, name);
}

/**
 * The names of the `{{name}}` placeholders in a text, known or not, in order of appearance.
 *
 * @example
 * placeholdersIn('{{username}}:{{ totp }}'); // => ['username', 'totp']
 */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

/**
 * Replaces every `{{name}}` placeholder of a text by its value.
 *
 * @example
 * fillPlaceholders('Bearer {{password}}', { password: 'pw' }); // => 'Bearer pw'
 * @throws {RangeError} naming (never filling in) a placeholder that has no value
 */
export function fillPlaceholders(
  text: string,
  values: Readonly<Partial<Record<PlaceholderName, string>>>,
): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => {
    const value = isPlaceholderName(name) ? values[name] : undefined;
    if (value === undefined) throw new RangeError(`placeholder {{${name}}} has no value`);
    return value;
  });
}
