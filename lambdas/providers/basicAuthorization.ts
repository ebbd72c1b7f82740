/**
 * An HTTP Basic `Authorization` value (RFC 7617): `user:password` encoded as UTF-8, then base64.
 * The password may contain colons and any Unicode; the user id may not contain a colon.
 *
 * @example
 * basicAuthorization('api', 'pa:ss wörd'); // => 'Basic YXBpOnBhOnNzIHfDtnJk'
 */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}
