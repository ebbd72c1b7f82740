import { createPrivateKey, type KeyObject } from 'node:crypto';

/** A private key for signing client assertions, and the JWS algorithm it signs with. */
export interface SigningKey {
  readonly key: KeyObject;
  /** RS256 for RSA keys, ES256 for EC P-256 keys. */
  readonly alg: 'RS256' | 'ES256';
}

/** The smallest RSA modulus accepted, in bits (RFC 7518 §3.3 requires 2048 for RS256). */
export const MIN_RSA_BITS = 2048;

const PKCS8_PEM =
  /^\s*-----BEGIN PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PRIVATE KEY-----\s*$/;

/**
 * The signing key of an unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), when it is an RSA
 * key of at least {@link MIN_RSA_BITS} bits or an EC P-256 key; otherwise `undefined`. Never
 * throws, so no parser message (which might quote the key) reaches a caller.
 *
 * @example
 * const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
 * signingKeyOf(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())?.alg; // => 'ES256'
 */
export function signingKeyOf(pem: string): SigningKey | undefined {
  if (!PKCS8_PEM.test(pem)) return undefined;
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return undefined;
  }
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= MIN_RSA_BITS) {
    return { key, alg: 'RS256' };
  }
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') {
    return { key, alg: 'ES256' };
  }
  return undefined;
}

/**
 * The forms of a PEM's key material a message might quote: the base64 body in one piece and each
 * of its lines (the PEM itself is redacted as a whole elsewhere); none for a value that is no PEM.
 *
 * @example
 * pemBodyParts('-----BEGIN PRIVATE KEY-----\nAAAA\nBBBB\n-----END PRIVATE KEY-----\n');
 * // => ['AAAABBBB', 'AAAA', 'BBBB']
 */
export function pemBodyParts(pem: string): string[] {
  if (!pem.includes('-----BEGIN ')) return [];
  const lines = pem
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('-----'));
  return lines.length === 0 ? [] : [lines.join(''), ...lines];
}
