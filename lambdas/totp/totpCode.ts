import { Secret, TOTP } from 'otpauth';
import { parseTotpSeed } from './parseTotpSeed.ts';

/** The RFC 6238 parameters every supported vendor uses, and `oathtool --totp` defaults to. */
export const TOTP_PERIOD_SECONDS = 30;
/** Digits of a code. */
export const TOTP_DIGITS = 6;

/**
 * The RFC 6238 code (HMAC-SHA1, 6 digits, 30 s steps) of a base32 seed at an instant: the same as
 * `oathtool --totp -b SEED`.
 *
 * @example
 * totpCode('JBSWY3DPEHPK3PXP', Date.now()); // => '282760'
 * @param seed - base32 seed (validated with {@link parseTotpSeed})
 * @param timestamp - the instant in epoch ms (default now)
 * @throws {InvalidTotpSeedError} when the seed is not valid
 */
export function totpCode(seed: string, timestamp: number = Date.now()): string {
  return TOTP.generate({
    secret: Secret.fromBase32(parseTotpSeed(seed)),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    timestamp,
  });
}

/** The RFC 6238 time step of an instant (epoch ms). */
export function totpStep(timestamp: number): number {
  return Math.floor(timestamp / (TOTP_PERIOD_SECONDS * 1000));
}
