import { isSecretCredentialField, pemBodyParts } from '../config/index.ts';
import { basicAuthorization, formUrlEncode } from './encoding.ts';

/** Credential fields sent together as HTTP Basic `user:password`. */
const BASIC_PAIRS = [
  ['username', 'password'],
  ['clientId', 'clientSecret'],
] as const;

/**
 * The secret values among an instance's credentials, to keep out of every message: passwords,
 * client secrets, the TOTP seed, refresh tokens and private keys (the PEM, and its base64 body
 * whole and line by line), and the HTTP Basic credentials built from them (plain, and
 * form-urlencoded first as RFC 6749 §2.3.1 asks), in case a server echoes its Authorization
 * header.
 *
 * @example
 * secretsOf({ username: 'api', password: 'pw' }); // => ['pw', 'YXBpOnB3', 'YXBpOnB3']
 */
export function secretsOf(credentials: object): string[] {
  const fields = credentials as Readonly<Record<string, unknown>>;
  const values = Object.entries(fields)
    .filter(([field, value]) => isSecretCredentialField(field) && typeof value === 'string')
    .flatMap(([, value]) => [value as string, ...pemBodyParts(value as string)]);
  for (const [userField, passwordField] of BASIC_PAIRS) {
    const user = fields[userField];
    const password = fields[passwordField];
    if (typeof user !== 'string' || typeof password !== 'string') continue;
    for (const [id, secret] of [
      [user, password],
      [formUrlEncode(user), formUrlEncode(password)],
    ] as const) {
      values.push(basicAuthorization(id, secret).slice('Basic '.length));
    }
  }
  return values;
}
