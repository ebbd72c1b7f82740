import { Secret } from 'otpauth';

/**
 * A fresh random base32 TOTP seed (160 bits). Tests use one seed each, so a code spent by one test
 * is never a replay in another.
 */
export function randomTotpSeed(): string {
  return new Secret({ size: 20 }).base32;
}
