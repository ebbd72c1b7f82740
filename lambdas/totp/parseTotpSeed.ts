import { InvalidTotpSeedError } from './errors.ts';

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
