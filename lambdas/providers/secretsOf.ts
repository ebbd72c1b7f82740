/**
 * The secret values among an instance's credentials (fields named like password or secret, and the
 * TOTP seed), to keep out of every message.
 *
 * @example
 * secretsOf({ username: 'api', password: 'pw', totpSecret: 'JBSW...' }); // => ['pw', 'JBSW...']
 */
export function secretsOf(credentials: object): string[] {
  return Object.entries(credentials)
    .filter(([field, value]) => /password|secret/i.test(field) && typeof value === 'string')
    .map(([, value]) => value as string);
}
