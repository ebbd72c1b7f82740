import { abortableSleep } from './delays.ts';

/** How {@link requestWithRetry} sends: timeouts, retries, limits, and injectable time. */
export interface HttpOptions {
  /** Aborts the whole exchange, retries included (for example the Lambda's remaining time). */
  readonly signal?: AbortSignal;
  /** Timeout of each attempt, body included, in ms. Default 10000. */
  readonly timeoutMs?: number;
  /** Attempts in all, first included. Default 3. */
  readonly maxAttempts?: number;
  /** Backoff base in ms: attempt n waits a random time up to `min(maxDelayMs, base * 2^(n-1))`. Default 500. */
  readonly baseDelayMs?: number;
  /** Cap of one backoff delay in ms. Default 8000. */
  readonly maxDelayMs?: number;
  /** Cap of a server's `Retry-After` in ms. Default 30000. */
  readonly maxRetryAfterMs?: number;
  /** Largest response body read, in bytes. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Clock in epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Random number in [0, 1) for the jitter. Default `Math.random`. */
  readonly random?: () => number;
  /** Waits between attempts. Default: a timer, cut short by `signal`. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** {@link HttpOptions} with every default applied. */
export type ResolvedHttpOptions = Required<Omit<HttpOptions, 'signal'>> & {
  readonly signal?: AbortSignal;
};

/** The defaults of {@link HttpOptions}. */
export const HTTP_DEFAULTS = {
  timeoutMs: 10_000,
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  maxBodyBytes: 1024 * 1024,
} as const;

/** Applies the defaults of {@link HttpOptions} in one place. */
export function resolveHttpOptions(options: HttpOptions = {}): ResolvedHttpOptions {
  return {
    ...HTTP_DEFAULTS,
    now: () => Date.now(),
    random: Math.random,
    sleep: abortableSleep,
    ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
  };
}
