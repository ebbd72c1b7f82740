import type { InstanceConfig } from '../config/index.ts';
import {
  ENVELOPE_VERSION,
  isHeaderSafe,
  parseEnvelope,
  type TokenEnvelope,
} from '../envelope/index.ts';
import { decodeJwtExp } from './decodeJwtExp.ts';
import { MalformedResponseError } from './errors.ts';
import { normaliseTokenType } from './normaliseTokenType.ts';
import type { ProviderLogin } from './TokenProvider.ts';

/** Fraction of a token's lifetime after which the refresher replaces it (1 h token: at 40 min). */
export const REFRESH_FRACTION = 2 / 3;

/** Seconds of an `expires_in` value: a positive number, or a string of digits. */
function expiresInSeconds(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === null) return undefined;
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? seconds
    : 'invalid';
}

/**
 * Turns what a provider learnt into the validated token envelope (DESIGN.md). `issuedAt` is when
 * the request was sent. `expiresAt` is the earliest of what the server said (`expires_in`, the
 * JWT's `exp`); only when it said neither, the documented lifetime. `refreshAt` is two thirds of
 * the way from `issuedAt` to `expiresAt`.
 *
 * @example
 * // sent 09:00, expires_in 3600 => expiresAt 10:00, refreshAt 09:40
 * buildEnvelope(instance, { token, expiresIn: 3600, sentAt }, 3600);
 * @throws {MalformedResponseError} when the token is empty, not header-safe, already expired, or
 * its lifetime or type is unreadable
 */
export function buildEnvelope(
  instance: InstanceConfig,
  login: ProviderLogin,
  documentedLifetimeSeconds: number,
): TokenEnvelope {
  const malformed = (detail: string) =>
    new MalformedResponseError(instance.name, instance.type, detail);
  if (login.token === '') throw malformed('the token is empty');
  if (!isHeaderSafe(login.token)) {
    throw malformed('the token contains characters that are not allowed in an HTTP header');
  }
  const tokenType = normaliseTokenType(login.tokenType);
  if (tokenType === undefined)
    throw malformed('the token type is not a valid Authorization scheme');
  const expiresIn = expiresInSeconds(login.expiresIn);
  if (expiresIn === 'invalid') throw malformed('"expires_in" is not a positive number of seconds');

  const issuedAt = login.sentAt;
  const jwtExp = decodeJwtExp(login.token);
  const stated = [
    ...(expiresIn === undefined ? [] : [issuedAt + expiresIn * 1000]),
    ...(jwtExp === undefined ? [] : [jwtExp * 1000]),
  ];
  const expiresAt =
    stated.length > 0 ? Math.min(...stated) : issuedAt + documentedLifetimeSeconds * 1000;
  if (expiresAt <= issuedAt) throw malformed('the token is already expired when issued');
  const refreshAt = issuedAt + Math.floor((expiresAt - issuedAt) * REFRESH_FRACTION);

  const envelope: TokenEnvelope = {
    version: ENVELOPE_VERSION,
    name: instance.name,
    provider: instance.type,
    tokenType,
    token: login.token,
    issuedAt: new Date(issuedAt).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
    refreshAt: new Date(refreshAt).toISOString(),
    ...(login.baseUrl === undefined ? {} : { baseUrl: login.baseUrl }),
    headers: { ...login.headers },
  };
  const checked = parseEnvelope(envelope);
  if (!checked.ok) throw malformed(`the envelope is invalid: ${checked.reason}`);
  return checked.envelope;
}
