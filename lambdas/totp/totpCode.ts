import { Secret, TOTP } from 'otpauth';

/** A TOTP seed is not usable. The message says why, never the seed. */
export class InvalidTotpSeedError extends Error {
  public override readonly name = 'InvalidTotpSeedError';
}

/** Fewest base32 characters accepted: 80 bits, the RFC 4226 minimum secret length. */
export const MIN_SEED_LENGTH = 16;

/** Letters A-Z and digits 2-7: the RFC 4648 base32 alphabet, without padding. */
export const BASE32_SEED = /^[A-Z2-7]+$/;

/**
 * Normalises a base32 TOTP seed as vendors show it: ASCII spaces, tabs, line breaks and dashes
 * dropped, ASCII letters upper-cased, `=` padding removed. Nothing else is touched, so a
 * non-ASCII character (`ı`, which `toUpperCase` would turn into `I`) stays and fails validation.
 * It does not validate; see {@link parseTotpSeed}.
 *
 * @example
 * normaliseTotpSeed('jbsw y3dp-ehpk 3pxp=='); // => 'JBSWY3DPEHPK3PXP'
 */
export function normaliseTotpSeed(seed: string): string {
  return seed
    .replace(/[ \t\r\n-]/g, '')
    .replace(/[a-z]/g, (letter) => letter.toUpperCase())
    .replace(/=+$/, '');
}

/**
 * Normalises and validates a base32 TOTP seed as vendors show it ("Get code for manual entry"):
 * ASCII spaces and dashes are dropped, letters upper-cased, `=` padding removed; only ASCII
 * base32 is accepted.
 *
 * @example
 * parseTotpSeed('jbsw y3dp ehpk 3pxp'); // => 'JBSWY3DPEHPK3PXP'
 * @throws {InvalidTotpSeedError} when it is empty, not base32 or shorter than 16 characters
 */
export function parseTotpSeed(seed: string): string {
  const normalised = normaliseTotpSeed(seed);
  if (normalised === '') throw new InvalidTotpSeedError('the TOTP seed is empty');
  if (!BASE32_SEED.test(normalised)) {
    throw new InvalidTotpSeedError(
      'the TOTP seed is not base32 (only letters A-Z and digits 2-7 are allowed)',
    );
  }
  if (normalised.length < MIN_SEED_LENGTH) {
    throw new InvalidTotpSeedError(
      `the TOTP seed is too short (${normalised.length} base32 characters, at least ${MIN_SEED_LENGTH} needed)`,
    );
  }
  return normalised;
}

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
