import { createHash } from 'node:crypto';
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

/**
 * The share of a token's lifetime after which the refresher replaces it: somewhere in this window,
 * fixed per instance and login (a 1 h token: between 33 and 45 min). Tokens a fleet published at
 * once so come due spread over a fifth of their lifetime instead of all in the same run.
 */
export const REFRESH_WINDOW = { from: 0.55, to: 0.75 } as const;

/**
 * Where in {@link REFRESH_WINDOW} one login's `refreshAt` falls: a digest of the instance's name
 * and the login's `issuedAt`, so the same login always gets the same value and a fleet spreads
 * out evenly.
 *
 * @example
 * refreshFraction('idp', Date.parse('2026-11-22T09:00:00Z')); // => a number in [0.55, 0.75)
 */
export function refreshFraction(name: string, issuedAtMs: number): number {
  const digest = createHash('sha256').update(`${name}\n${issuedAtMs}`).digest();
  const unit = digest.readUInt32BE(0) / 2 ** 32;
  return REFRESH_WINDOW.from + unit * (REFRESH_WINDOW.to - REFRESH_WINDOW.from);
}

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
 * JWT's `exp`); only when it said neither, the documented lifetime. `refreshAt` falls within
 * {@link REFRESH_WINDOW} of the way from `issuedAt` to `expiresAt` ({@link refreshFraction}).
 *
 * @example
 * // sent 09:00, expires_in 3600 => expiresAt 10:00, refreshAt between 09:33 and 09:45
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
    stated.length > 0
      ? Math.min(...stated)
      : issuedAt + (login.lifetimeSeconds ?? documentedLifetimeSeconds) * 1000;
  if (expiresAt <= issuedAt) throw malformed('the token is already expired when issued');
  const refreshAt =
    issuedAt + Math.floor((expiresAt - issuedAt) * refreshFraction(instance.name, issuedAt));

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
