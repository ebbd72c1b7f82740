import type { Writable } from 'node:stream';
import { abortableSleep } from '../../lambdas/http/index.ts';

/** Options of a {@link LoginProgress}. */
export interface LoginProgressOptions {
  /** Says "still waiting" after this long without an answer or another message, in ms. Default 5000. */
  readonly slowAfterMs?: number;
  /** Waits; default a timer cut short by the signal. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;

/**
 * Tells a person on stderr why a login is taking long: while it waits for the next TOTP step,
 * before a retry of a vendor that failed transiently, and when an endpoint is slow to answer.
 * Pass {@link totpSleep} to the `TotpGuard`, {@link retrySleep} as the login's `sleep`, and wrap
 * the login in {@link track}. Messages name the instance, never a value.
 *
 * @example
 * const progress = new LoginProgress('cw-sandbox', process.stderr);
 * const guard = new TotpGuard({ steps, sleep: progress.totpSleep });
 * await progress.track(loginInstance(instance, credentials, { totpGuard: guard, sleep: progress.retrySleep }));
 */
export class LoginProgress {
  readonly #prefix: string;
  readonly #stderr: Writable;
  readonly #slowAfterMs: number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #quietSince = Date.now();
  #sleeping = false;

  public constructor(instance: string, stderr: Writable, options: LoginProgressOptions = {}) {
    this.#prefix = `token-broker: instance "${instance}": `;
    this.#stderr = stderr;
    this.#slowAfterMs = options.slowAfterMs ?? 5000;
    this.#sleep = options.sleep ?? abortableSleep;
  }

  /** The TOTP guard's wait for the next step, announced. */
  public readonly totpSleep = (ms: number, signal?: AbortSignal) =>
    this.#announcedSleep(
      `waiting ${seconds(ms)} for the next TOTP step (a code is never sent twice)`,
      ms,
      signal,
    );

  /** The backoff before a retry, announced. */
  public readonly retrySleep = (ms: number, signal?: AbortSignal) =>
    this.#announcedSleep(
      `no answer or a transient error from the provider; retrying in ${seconds(ms)}`,
      ms,
      signal,
    );

  /** Resolves as `login` does, saying "still waiting" while it is slow. */
  public async track<T>(login: Promise<T>): Promise<T> {
    const started = Date.now();
    this.#quietSince = started;
    const timer = setInterval(
      () => {
        if (this.#sleeping || Date.now() - this.#quietSince < this.#slowAfterMs) return;
        this.#say(`still waiting for the provider to answer (${seconds(Date.now() - started)})`);
      },
      Math.max(100, this.#slowAfterMs / 5),
    );
    try {
      return await login;
    } finally {
      clearInterval(timer);
    }
  }

  async #announcedSleep(message: string, ms: number, signal?: AbortSignal): Promise<void> {
    this.#say(message);
    this.#sleeping = true;
    try {
      await this.#sleep(ms, signal);
    } finally {
      this.#sleeping = false;
      this.#quietSince = Date.now();
    }
  }

  #say(message: string): void {
    this.#quietSince = Date.now();
    this.#stderr.write(`${this.#prefix}${message}\n`);
  }
}
