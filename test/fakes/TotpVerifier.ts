import { Secret, TOTP } from 'otpauth';

/** The verdict on one submitted TOTP code. */
export type TotpVerdict = 'accepted' | 'invalid' | 'replayed';

/**
 * Checks TOTP codes as a vendor's server does: RFC 6238 (SHA-1, 6 digits, 30 s), one step of clock
 * drift either way, and a code whose time step was already used is refused (replay).
 */
export class TotpVerifier {
  readonly #totp: TOTP;
  readonly #usedSteps = new Set<number>();

  public constructor(base32Secret: string) {
    this.#totp = new TOTP({ secret: Secret.fromBase32(base32Secret) });
  }

  /** Verifies a code at `timestamp` (ms) and remembers its step when accepted. */
  public verify(code: string, timestamp: number = Date.now()): TotpVerdict {
    if (!/^\d{6}$/.test(code)) return 'invalid';
    const delta = this.#totp.validate({ token: code, timestamp, window: 1 });
    if (delta === null) return 'invalid';
    const step = this.#totp.counter({ timestamp }) + delta;
    if (this.#usedSteps.has(step)) return 'replayed';
    this.#usedSteps.add(step);
    return 'accepted';
  }
}
