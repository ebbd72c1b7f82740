import type { FinalizeRequestMiddleware, Pluggable } from '@smithy/types';
import type { BrokerConfig } from '../config/index.ts';

/** A request rate: `ratePerSecond` sustained, up to `burst` back to back after an idle spell. */
export interface RateLimit {
  readonly ratePerSecond: number;
  readonly burst: number;
}

interface Waiter {
  readonly resolve: () => void;
  /** Detaches the waiter's abort listener. */
  readonly detach: () => void;
}

/** A refill computed in floating point may land a hair below a whole token. */
const EPSILON = 1e-9;

/**
 * A client-side token bucket: {@link TokenBucket.acquire} resolves when the caller may send one
 * request. Waiters are served first come, first served (a newcomer never overtakes a waiter, even
 * when a token is free); one timer at a time wakes the head of the queue, and none is left once
 * the queue is empty.
 *
 * @example
 * const bucket = new TokenBucket({ ratePerSecond: 2, burst: 2 });
 * await bucket.acquire(AbortSignal.timeout(30_000));
 * bucket.delayMs(); // => how long a request queued now would wait, in ms
 */
export class TokenBucket {
  /** Tokens per millisecond. */
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #queue: Waiter[] = [];
  #tokens: number;
  #refilledAt: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param limit - the rate and burst; both must be positive, the burst a whole number
   * @param now - the clock in epoch milliseconds (default: `Date.now()`, which mocked timers move)
   * @throws {RangeError} when the rate or the burst is not positive, or the burst not whole
   */
  public constructor(limit: RateLimit, now: () => number = () => Date.now()) {
    if (!(Number.isFinite(limit.ratePerSecond) && limit.ratePerSecond > 0)) {
      throw new RangeError(`ratePerSecond must be a positive number, got ${limit.ratePerSecond}`);
    }
    if (!(Number.isInteger(limit.burst) && limit.burst >= 1)) {
      throw new RangeError(`burst must be a whole number of at least 1, got ${limit.burst}`);
    }
    this.#rate = limit.ratePerSecond / 1000;
    this.#burst = limit.burst;
    this.#now = now;
    this.#tokens = limit.burst;
    this.#refilledAt = now();
  }

  /**
   * Waits for this caller's turn to send one request.
   *
   * @param signal - aborts the wait: the promise rejects with the signal's reason and the caller
   *   leaves the queue without using a token
   */
  public acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.#refill();
    if (this.#queue.length === 0 && this.#tokens >= 1 - EPSILON) {
      this.#tokens = Math.max(0, this.#tokens - 1);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#leave(waiter);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        resolve,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      this.#schedule();
    });
  }

  /**
   * How long, in milliseconds, the last of `count` requests queued now would wait: 0 while the
   * bucket holds enough tokens and nobody waits. A caller decides with it whether work that needs
   * these requests can still finish in time.
   *
   * @param count - requests the caller would queue (default 1)
   */
  public delayMs(count = 1): number {
    this.#refill();
    const missing = this.#queue.length + count - this.#tokens;
    return missing <= EPSILON ? 0 : Math.ceil(missing / this.#rate);
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(
      this.#burst,
      this.#tokens + Math.max(0, now - this.#refilledAt) * this.#rate,
    );
    this.#refilledAt = now;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#queue.length === 0) return;
    const waitMs = Math.max(0, Math.ceil((1 - this.#tokens) / this.#rate));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#serve();
    }, waitMs);
  }

  #serve(): void {
    this.#refill();
    while (this.#queue.length > 0 && this.#tokens >= 1 - EPSILON) {
      this.#tokens = Math.max(0, this.#tokens - 1);
      const waiter = this.#queue.shift();
      waiter?.detach();
      waiter?.resolve();
    }
    this.#schedule();
  }

  #leave(waiter: Waiter): void {
    const index = this.#queue.indexOf(waiter);
    if (index >= 0) this.#queue.splice(index, 1);
    if (this.#queue.length === 0 && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }
}

/**
 * How fast the refresher calls each paced API, per process. Each sits below the account's quota,
 * which every downstream reader and every other tool of the account and region shares.
 */
export interface PacingLimits {
  /** SSM `PutParameter`; the quota is about 3/s (standard throughput) or 10/s (higher). */
  readonly putParameter: RateLimit;
  /**
   * SSM `GetParameter`, `GetParameters` and `GetParametersByPath` together; the quota is 40/s
   * (standard) or 3,000/s (higher), shared with every reader of a token.
   */
  readonly getParameters: RateLimit;
  /** Secrets Manager `GetSecretValue`; the quota is 10,000/s. */
  readonly getSecretValue: RateLimit;
  /** Secrets Manager `PutSecretValue`; the quota is 50/s. */
  readonly putSecretValue: RateLimit;
}

const rate = (ratePerSecond: number): RateLimit => ({ ratePerSecond, burst: ratePerSecond });

const secretsManager = { getSecretValue: rate(50), putSecretValue: rate(5) } as const;

/**
 * The refresher's limits for each Parameter Store throughput setting (`ssmThroughput` in the
 * configuration). `standard` leaves a third of the PutParameter quota and three quarters of the
 * read quota to everyone else; `higher` asks for 8 PutParameter/s and 100 reads/s.
 *
 * @example
 * pacingLimits.standard.putParameter; // => { ratePerSecond: 2, burst: 2 }
 */
export const pacingLimits = {
  standard: { putParameter: rate(2), getParameters: rate(10), ...secretsManager },
  higher: { putParameter: rate(8), getParameters: rate(100), ...secretsManager },
} as const satisfies Record<BrokerConfig['ssmThroughput'], PacingLimits>;

/**
 * The pacing limits that suit a broker's configuration: its `ssmThroughput` setting.
 *
 * @example
 * createRefresherClients({ pacing: pacingLimitsFor(config) });
 */
export function pacingLimitsFor(config: Pick<BrokerConfig, 'ssmThroughput'>): PacingLimits {
  return pacingLimits[config.ssmThroughput];
}

/** One bucket per paced API of the refresher's clients. */
export type RefresherPacers = { readonly [api in keyof PacingLimits]: TokenBucket };

/**
 * Creates a bucket per paced API. The refresher asks them how long a publish would wait
 * (`pacers.putParameter.delayMs()`) before it starts a login it could not publish in time.
 *
 * @example
 * const pacers = createPacers(pacingLimits.standard);
 * pacers.putParameter.delayMs(100); // => about 49,000 ms for the 100th of 100 PutParameter calls
 */
export function createPacers(limits: PacingLimits): RefresherPacers {
  return {
    putParameter: new TokenBucket(limits.putParameter),
    getParameters: new TokenBucket(limits.getParameters),
    getSecretValue: new TokenBucket(limits.getSecretValue),
    putSecretValue: new TokenBucket(limits.putSecretValue),
  };
}

/** The bucket each paced command of one client waits for, by command name (`PutParameterCommand`). */
export type PacedCommands = Readonly<Partial<Record<string, TokenBucket>>>;

/** The name of the pacing middleware in a client's middleware stack. */
export const PACING_MIDDLEWARE = 'pacingMiddleware';

/** Where the SDK keeps the per-call context: the caller's `abortSignal` among others. */
const SMITHY_CONTEXT = '__smithy_context';

/**
 * An SDK v3 plugin that makes every attempt of a paced command wait for its bucket; commands not
 * in `commands` pass at once. The middleware sits in the `finalizeRequest` step right after the
 * retry middleware and before signing, so each retry waits for a token as the first attempt did
 * and is signed when it is sent. The call's `abortSignal` also aborts the wait.
 *
 * @example
 * const put = new TokenBucket({ ratePerSecond: 2, burst: 2 });
 * ssm.middlewareStack.use(pacingPlugin({ PutParameterCommand: put }));
 */
export function pacingPlugin<Input extends object, Output extends object>(
  commands: PacedCommands,
): Pluggable<Input, Output> {
  const middleware: FinalizeRequestMiddleware<Input, Output> = (next, context) => async (args) => {
    const bucket = commands[context.commandName ?? ''];
    if (bucket !== undefined) {
      const signal: unknown = (context[SMITHY_CONTEXT] as { abortSignal?: unknown } | undefined)
        ?.abortSignal;
      await bucket.acquire(signal instanceof AbortSignal ? signal : undefined);
    }
    return next(args);
  };
  return {
    applyToStack: (stack) => {
      stack.addRelativeTo(middleware, {
        name: PACING_MIDDLEWARE,
        relation: 'after',
        toMiddleware: 'retryMiddleware',
        override: true,
      });
    },
  };
}
