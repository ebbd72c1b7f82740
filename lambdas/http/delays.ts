/** Waiting between attempts: how long (backoff with jitter, `Retry-After`), and the wait itself. */

/**
 * Milliseconds to wait before retry number `retry` (1 for the first retry): exponential backoff
 * with full jitter, `random() * min(maxDelayMs, baseDelayMs * 2^(retry-1))`.
 *
 * @example
 * backoffDelay(3, { baseDelayMs: 500, maxDelayMs: 8000, random: () => 0.5 }); // => 1000
 */
export function backoffDelay(
  retry: number,
  policy: {
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly random: () => number;
  },
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(policy.random() * ceiling);
}

/**
 * The wait a `Retry-After` header asks for (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), in
 * ms, capped at `maxMs`; `undefined` when the header is absent or unreadable.
 *
 * @param value - the header value
 * @param now - the current time in epoch ms, for an HTTP-date
 * @param maxMs - the cap
 */
export function retryAfterDelay(
  value: string | null,
  now: number,
  maxMs: number,
): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, maxMs);
  // An HTTP-date names its day or month in letters; anything else ("-5", "1.5") is unreadable.
  const date = /[A-Za-z]/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(date - now, 0), maxMs);
}

/**
 * Waits `ms` milliseconds; rejects with the signal's reason when it aborts first.
 *
 * @example
 * await abortableSleep(250, AbortSignal.timeout(1000));
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
