import type { TokenEnvelope } from './contract/envelope.ts';

/**
 * A token envelope held in memory, with its absolute expiry. It answers whether it is still good
 * for a given minimum validity, so nobody else does date sums.
 */
export class CachedToken {
  public readonly envelope: TokenEnvelope;
  /** The envelope's `expiresAt`, in epoch milliseconds. */
  public readonly expiresAtMs: number;

  public constructor(envelope: TokenEnvelope) {
    // Every caller gets this same object: freeze it so one cannot change another's token.
    Object.freeze(envelope.headers);
    this.envelope = Object.freeze(envelope);
    this.expiresAtMs = Date.parse(envelope.expiresAt);
  }

  /**
   * Whether the token expires within `minValiditySeconds` from now (or already has), so must not
   * be handed out.
   */
  public isExpired(minValiditySeconds: number): boolean {
    return this.expiresAtMs - minValiditySeconds * 1000 <= Date.now();
  }
}
