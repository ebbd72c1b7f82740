/** A TOTP seed is not usable. The message says why, never the seed. */
export class InvalidTotpSeedError extends Error {
  public override readonly name = 'InvalidTotpSeedError';
}
