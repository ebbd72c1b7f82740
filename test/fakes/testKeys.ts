import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/** A key pair for `private_key_jwt` tests: the PKCS#8 PEM the broker holds, the key the fake verifies with. */
export interface TestKeyPair {
  readonly privateKeyPem: string;
  readonly publicKey: KeyObject;
}

/**
 * A fresh key pair of the kind `private_key_jwt` accepts: RSA 2048 (RS256) or EC P-256 (ES256).
 *
 * @example
 * const { privateKeyPem, publicKey } = testKeyPair('ec');
 */
export function testKeyPair(kind: 'rsa' | 'ec'): TestKeyPair {
  const { privateKey, publicKey } =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
  };
}
