import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKey } from '../config/index.ts';

/** The `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2). */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** How long a client assertion is valid, in s: RFC 7523 §3 asks for a short time; at most 5 min. */
export const CLIENT_ASSERTION_LIFETIME_SECONDS = 120;

/**
 * Signs a client assertion for `private_key_jwt` client authentication (RFC 7523 §2.2 and §3)
 * with `jose`: `iss` and `sub` are the client id, `aud` the token endpoint, `iat` now, `exp`
 * {@link CLIENT_ASSERTION_LIFETIME_SECONDS} later, a fresh random `jti`, and the header's `kid`
 * when a key id is given. RS256 for RSA keys, ES256 for P-256.
 *
 * @example
 * const assertion = await signClientAssertion(signingKeyOf(pem)!, { clientId: 'app', audience: tokenUrl, nowMs: Date.now() });
 */
export async function signClientAssertion(
  signingKey: SigningKey,
  claims: {
    readonly clientId: string;
    readonly audience: string;
    readonly nowMs: number;
    readonly keyId?: string | undefined;
  },
): Promise<string> {
  const issuedAt = Math.floor(claims.nowMs / 1000);
  return new SignJWT({})
    .setProtectedHeader({
      alg: signingKey.alg,
      typ: 'JWT',
      ...(claims.keyId === undefined ? {} : { kid: claims.keyId }),
    })
    .setIssuer(claims.clientId)
    .setSubject(claims.clientId)
    .setAudience(claims.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + CLIENT_ASSERTION_LIFETIME_SECONDS)
    .setJti(randomUUID())
    .sign(signingKey.key);
}
