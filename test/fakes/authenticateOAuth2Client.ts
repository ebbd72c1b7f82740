import { type KeyObject, verify } from 'node:crypto';
import { parseBasicAuth } from './parseBasicAuth.ts';
import type { FakeRequest } from './startFakeServer.ts';

/** The client authentication methods the fake authorization servers know (RFC 6749 §2.3, RFC 7523). */
export type FakeClientAuth = 'basic' | 'post' | 'none' | 'private_key_jwt';

/** The one client a fake authorization server knows. */
export interface FakeOAuth2Client {
  readonly clientId: string;
  /** For `basic` and `post`. */
  readonly clientSecret?: string;
  /** For `private_key_jwt`: the public key that verifies the client's assertions. */
  readonly publicKey?: KeyObject;
  /** The `kid` the assertion's header must carry, when set. */
  readonly keyId?: string;
  /** The method the server requires (default `basic`). */
  readonly clientAuth?: FakeClientAuth;
}

/** What {@link authenticateOAuth2Client} checks an assertion against. */
export interface AssertionPolicy {
  /** The token endpoint's URL: the only accepted `aud`. */
  readonly audience: string;
  /** `jti`s already used (RFC 7523 §3 item 7); a used one is refused, a new one is added. */
  readonly usedJtis: Set<string>;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The longest an assertion may live, in s, plus 5 s of clock skew. */
const MAX_ASSERTION_LIFETIME_SECONDS = 300 + 5;

/** RFC 6749 §2.3.1: the id and secret are form-urlencoded before Basic encoding. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies an RFC 7523 client assertion with node:crypto (independently of the broker's signer):
 * the RS256 or ES256 signature with the client's public key, `iss` = `sub` = client id, `aud` the
 * token endpoint, an `exp` in the future and at most 5 minutes ahead, a `jti` not used before,
 * and the `kid` when the client has one. Returns what is wrong, or `undefined`.
 */
function assertionProblem(
  assertion: string,
  client: FakeOAuth2Client,
  policy: AssertionPolicy,
): string | undefined {
  const [headerPart = '', payloadPart = '', signaturePart = '', ...rest] = assertion.split('.');
  const header = decodeSegment(headerPart);
  const claims = decodeSegment(payloadPart);
  if (rest.length > 0 || header === undefined || claims === undefined) return 'malformed assertion';
  if (client.publicKey === undefined) return 'the client has no registered key';
  const expectedAlg = client.publicKey.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
  if (header.alg !== expectedAlg) return `alg must be ${expectedAlg}`;
  if (client.keyId !== undefined && header.kid !== client.keyId) return 'unknown kid';
  const signed = verify(
    'sha256',
    Buffer.from(`${headerPart}.${payloadPart}`),
    expectedAlg === 'ES256'
      ? { key: client.publicKey, dsaEncoding: 'ieee-p1363' }
      : client.publicKey,
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!signed) return 'bad signature';
  if (claims.iss !== client.clientId || claims.sub !== client.clientId) {
    return 'iss and sub must be the client id';
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(policy.audience)) return 'aud must be the token endpoint';
  const now = Date.now() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= now) return 'the assertion has expired';
  if (claims.exp > now + MAX_ASSERTION_LIFETIME_SECONDS) return 'exp is too far ahead';
  if (typeof claims.jti !== 'string' || claims.jti === '') return 'jti is required';
  if (policy.usedJtis.has(claims.jti)) return 'the assertion was already used (jti)';
  policy.usedJtis.add(claims.jti);
  return undefined;
}

/**
 * Authenticates the client of a token request the way a strict server does: exactly one method
 * (HTTP Basic with form-urlencoded id and secret, `client_secret` in the body, a JWT assertion, or
 * a public client's bare `client_id`), and it must be the client's required method with its
 * secret or key. Returns the client id, or the `error_description` of an `invalid_client`.
 */
export function authenticateOAuth2Client(
  request: FakeRequest,
  form: URLSearchParams,
  client: FakeOAuth2Client,
  policy: AssertionPolicy,
): { readonly clientId: string } | string {
  const required = client.clientAuth ?? 'basic';
  const basicHeader = request.headers.authorization;
  const basic = parseBasicAuth(basicHeader);
  const methods = [
    basicHeader !== undefined,
    form.has('client_secret'),
    form.has('client_assertion') || form.has('client_assertion_type'),
  ].filter(Boolean).length;
  if (methods > 1 || (basicHeader !== undefined && form.has('client_id'))) {
    return 'more than one client authentication method';
  }
  let method: FakeClientAuth;
  let clientId: string;
  let secret: string | undefined;
  if (basicHeader !== undefined) {
    if (basic === undefined) return 'malformed Basic credentials';
    try {
      [method, clientId, secret] = ['basic', formDecode(basic.user), formDecode(basic.password)];
    } catch {
      return 'malformed Basic credentials';
    }
  } else if (form.has('client_assertion')) {
    if (form.get('client_assertion_type') !== ASSERTION_TYPE) return 'bad client_assertion_type';
    const problem = assertionProblem(form.get('client_assertion') ?? '', client, policy);
    if (problem !== undefined) return `client assertion refused: ${problem}`;
    const named = form.get('client_id');
    if (named !== null && named !== client.clientId)
      return 'client_id does not match the assertion';
    [method, clientId] = ['private_key_jwt', client.clientId];
  } else if (form.has('client_id')) {
    method = form.has('client_secret') ? 'post' : 'none';
    [clientId, secret] = [form.get('client_id') ?? '', form.get('client_secret') ?? undefined];
  } else {
    return 'no client authentication';
  }
  const secretOk = method === 'basic' || method === 'post' ? secret === client.clientSecret : true;
  if (method !== required || clientId !== client.clientId || !secretOk) {
    return 'Client authentication failed';
  }
  return { clientId };
}
