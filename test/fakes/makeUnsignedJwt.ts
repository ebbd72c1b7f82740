import { randomBytes, randomUUID } from 'node:crypto';

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * A real-looking JWT (`header.payload.signature`, base64url JSON) whose signature is random bytes:
 * the broker decodes `exp` without verifying, so nothing here needs a key.
 *
 * @example
 * makeUnsignedJwt({ sub: 'api', exp: Math.floor(Date.now() / 1000) + 3600 });
 */
export function makeUnsignedJwt(claims: Readonly<Record<string, unknown>>): string {
  const header = { alg: 'RS256', typ: 'JWT', kid: 'fake-key-1' };
  const payload = { jti: randomUUID(), ...claims };
  return `${base64UrlJson(header)}.${base64UrlJson(payload)}.${randomBytes(32).toString('base64url')}`;
}
