import { createHash } from 'node:crypto';
import { abortableSleep } from '../http/delays.ts';
import { parseTotpSeed, TOTP_PERIOD_SECONDS, totpCode, totpStep } from './totpCode.ts';

/** Options of a {@link TotpGuard}. */
export interface TotpGuardOptions {
  /** Clock in epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Waits for the next step. Default: a timer, cut short by the signal. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A code is not sent with less than this left in its step, in ms. Default 3000. */
  readonly minRemainingMs?: number;
  /** Where spent steps are remembered. Default: in memory, for this guard only. */
  readonly steps?: TotpStepStore;
}

/** A code handed out by {@link TotpGuard.nextCode}. */
export interface GuardedCode {
  readonly code: string;
  /** The RFC 6238 time step it belongs to. */
  readonly step: number;
  /** The step of the use of this seed recorded before this one (by any user of the store), if any. */
  readonly previousStep?: number;
}

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

/**
 * Hands out TOTP codes so that a code is never sent twice: a seed's time step, once used, is spent,
 * and the next code waits for the next step. A code is also not handed out in the last
 * `minRemainingMs` of its step, where it could expire on the way to a server. Keep one guard per
 * process (the refresher shares it across instances and invocations). Seeds are remembered by
 * SHA-256 digest only, in memory unless a {@link TotpStepStore} is given.
 *
 * @example
 * const guard = new TotpGuard();
 * const { code } = await guard.nextCode(seed, signal);
 */
export class TotpGuard {
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #minRemainingMs: number;
  readonly #steps: TotpStepStore;

  public constructor(options: TotpGuardOptions = {}) {
    this.#now = options.now ?? (() => Date.now());
    this.#sleep = options.sleep ?? abortableSleep;
    this.#minRemainingMs = options.minRemainingMs ?? 3000;
    this.#steps = options.steps ?? new MemoryTotpStepStore();
  }

  /**
   * A code for `seed` from a step no code of that seed was handed out in, waiting for the next
   * step when needed. Consecutive calls for one seed are at least one step apart.
   *
   * @throws {InvalidTotpSeedError} when the seed is not valid base32
   * @throws the signal's reason when it aborts while waiting
   */
  public async nextCode(seed: string, signal?: AbortSignal): Promise<GuardedCode> {
    const key = createHash('sha256').update(parseTotpSeed(seed)).digest('hex');
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#now();
      const step = totpStep(now);
      const remaining = (step + 1) * STEP_MS - now;
      const previousStep = this.#steps.lastStep(key);
      const spent = (previousStep ?? Number.NEGATIVE_INFINITY) >= step;
      if (!spent && remaining >= this.#minRemainingMs) {
        this.#steps.remember(key, step);
        return {
          code: totpCode(seed, now),
          step,
          ...(previousStep === undefined ? {} : { previousStep }),
        };
      }
      await this.#sleep(remaining, signal);
    }
  }
}

/**
 * Where a {@link TotpGuard} remembers the last time step it handed out per seed. Keys are digests
 * of seeds, never seeds. The default keeps them in memory (one process, such as the refresher); the
 * CLI keeps them in a file so two runs in one step do not send the same code.
 */
export interface TotpStepStore {
  /** The last step handed out for a seed digest, if any. */
  lastStep(key: string): number | undefined;
  /** Records that a code of `step` was handed out for a seed digest. */
  remember(key: string, step: number): void;
}

/** A {@link TotpStepStore} in memory: the default, one per guard. */
export class MemoryTotpStepStore implements TotpStepStore {
  readonly #steps = new Map<string, number>();

  public lastStep(key: string): number | undefined {
    return this.#steps.get(key);
  }

  public remember(key: string, step: number): void {
    this.#steps.set(key, step);
  }
}
