import { createHash } from 'node:crypto';
import type { InstanceConfig } from '../config/index.ts';
import {
  ENVELOPE_VERSION,
  isHeaderSafe,
  isVisibleAscii,
  parseEnvelope,
  TOKEN_LIFETIME,
  type TokenEnvelope,
} from '../reader/contract/index.ts';
import { decodeJwtExp, normaliseTokenType } from './encoding.ts';
import { MalformedResponseError } from './errors.ts';
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

/**
 * Seconds of an `expires_in` value: a positive number, or a string of digits. A huge one
 * (even `Infinity`, which JSON.parse gives for `1e400`) is kept: the cap shortens it.
 */
function expiresInSeconds(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === null) return undefined;
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof seconds === 'number' && seconds > 0 ? seconds : 'invalid';
}

/** What a token's lifetime was taken from: the server (`expires_in`, JWT `exp`) or the vendor's documentation. */
type LifetimeSource = 'server' | 'documented';

/** The lifetime in ms the server stated (the earliest of `expires_in` and JWT `exp`), if any. */
function statedLifetimeMs(
  expiresIn: number | undefined,
  jwtExp: number | undefined,
  issuedAt: number,
): number | undefined {
  const stated = [
    ...(expiresIn === undefined ? [] : [expiresIn * 1000]),
    ...(jwtExp === undefined ? [] : [jwtExp * 1000 - issuedAt]),
  ];
  return stated.length > 0 ? Math.min(...stated) : undefined;
}

/**
 * Turns what a provider learnt into the validated token envelope. `issuedAt` is when the request
 * was sent. The lifetime is the earliest of what the server said (`expires_in`, the JWT's `exp`);
 * only when it said neither, the documented lifetime; and never longer than the instance's
 * `maxLifetimeSeconds` (default {@link TOKEN_LIFETIME.defaultMaxSeconds}, 24 h), so a vendor that
 * states ten years, or milliseconds for seconds, cannot keep its token from being replaced. A cap
 * is reported to `onNotice`. `refreshAt` falls within {@link REFRESH_WINDOW} of the way from
 * `issuedAt` to `expiresAt` ({@link refreshFraction}).
 *
 * @example
 * // sent 09:00, expires_in 3600 => expiresAt 10:00, refreshAt between 09:33 and 09:45
 * buildEnvelope(instance, { token, expiresIn: 3600, sentAt }, 3600, (notice) => logger.warn(notice));
 * @param onNotice - told when the lifetime is capped, in a message naming the instance, the
 *   lifetime and the cap, never the token (default: nobody)
 * @throws {MalformedResponseError} when the token is empty, not visible ASCII (spaces, tabs,
 * controls), lives less than {@link TOKEN_LIFETIME.minSeconds} (a reader could never hand it out),
 * or its lifetime or type is unreadable
 */
export function buildEnvelope(
  instance: InstanceConfig,
  login: ProviderLogin,
  documentedLifetimeSeconds: number,
  onNotice?: (message: string) => void,
): TokenEnvelope {
  const about = `instance "${instance.name}" (${instance.type})`;
  const malformed = (detail: string) =>
    new MalformedResponseError(instance.name, instance.type, detail);
  if (login.token === '') throw malformed('the token is empty');
  if (!isHeaderSafe(login.token)) {
    throw malformed('the token contains characters that are not allowed in an HTTP header');
  }
  if (!isVisibleAscii(login.token)) {
    throw malformed(
      'the token contains spaces or tabs: it would not be one Authorization credential',
    );
  }
  const tokenType = normaliseTokenType(login.tokenType);
  if (tokenType === undefined)
    throw malformed('the token type is not a valid Authorization scheme');
  const expiresIn = expiresInSeconds(login.expiresIn);
  if (expiresIn === 'invalid') throw malformed('"expires_in" is not a positive number of seconds');

  const issuedAt = login.sentAt;
  const stated = statedLifetimeMs(expiresIn, decodeJwtExp(login.token), issuedAt);
  const source: LifetimeSource = stated === undefined ? 'documented' : 'server';
  const lifetimeMs = stated ?? (login.lifetimeSeconds ?? documentedLifetimeSeconds) * 1000;
  if (lifetimeMs <= 0) throw malformed('the token is already expired when issued');
  const capSeconds = instance.maxLifetimeSeconds ?? TOKEN_LIFETIME.defaultMaxSeconds;
  const cappedMs = Math.min(lifetimeMs, capSeconds * 1000);
  if (cappedMs < lifetimeMs) {
    const what = source === 'server' ? "the server's" : 'the documented';
    onNotice?.(
      `${about}: ${what} lifetime of ${lifetimeMs / 1000} s is capped at maxLifetimeSeconds (${capSeconds} s)`,
    );
  }
  if (cappedMs < TOKEN_LIFETIME.minSeconds * 1000) {
    throw malformed(
      `the token lives ${cappedMs / 1000} s, less than the ${TOKEN_LIFETIME.minSeconds} s a reader needs to hand it out`,
    );
  }
  const expiresAt = issuedAt + cappedMs;
  const refreshAt = issuedAt + Math.floor(cappedMs * refreshFraction(instance.name, issuedAt));

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
