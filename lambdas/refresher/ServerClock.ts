import type { DeserializeMiddleware, Pluggable } from '@smithy/types';

/** A local clock further than this from AWS's is corrected; closer, the `Date` header's 1 s resolution is noise. */
export const SKEW_THRESHOLD_MS = 2_000;

/** The name of the middleware that feeds a {@link ServerClock}. */
export const SERVER_CLOCK_MIDDLEWARE = 'tokenBrokerServerClock';

/**
 * The time as AWS sees it: the local clock plus the offset measured from the `Date` header of AWS's
 * responses, as the SDK's `systemClockOffset` does (which only corrects skews of minutes, on
 * signature errors). A container whose clock runs fast would otherwise write leases and token
 * times that poison the state table and the envelopes for every correct container; with this clock
 * every container writes AWS's time.
 *
 * @example
 * const clock = new ServerClock();
 * dynamodb.middlewareStack.use(clock.plugin());
 * await dynamodb.send(command); // measures the offset
 * clock.now(); // => epoch ms on AWS's clock
 */
export class ServerClock {
  readonly #local: () => number;
  #offsetMs = 0;

  /** @param local - the local clock, epoch ms; default `Date.now` */
  public constructor(local: () => number = Date.now) {
    this.#local = local;
  }

  /** Epoch milliseconds on AWS's clock (the local clock until a response was seen). */
  public readonly now = (): number => this.#local() + this.#offsetMs;

  /** How far AWS's clock is ahead of the local one, in ms (0 within {@link SKEW_THRESHOLD_MS}). */
  public get offsetMs(): number {
    return this.#offsetMs;
  }

  /**
   * Takes in one response's `Date` header. The header has whole seconds, so the server's instant
   * is taken as its middle second; the local instant as the middle of the request.
   *
   * @param date - the header's value (RFC 9110 IMF-fixdate); ignored when absent or unreadable
   */
  public observe(date: string | undefined, sentAt: number, receivedAt: number): void {
    const server = date === undefined ? Number.NaN : Date.parse(date);
    if (Number.isNaN(server)) return;
    const offset = server + 500 - (sentAt + receivedAt) / 2;
    this.#offsetMs = Math.abs(offset) > SKEW_THRESHOLD_MS ? Math.round(offset) : 0;
  }

  /** An SDK v3 plugin that feeds this clock from every response of a client, errors included. */
  public plugin<Input extends object, Output extends object>(): Pluggable<Input, Output> {
    const middleware: DeserializeMiddleware<Input, Output> = (next) => async (args) => {
      const sentAt = this.#local();
      try {
        const result = await next(args);
        this.observe(dateHeader(result.response), sentAt, this.#local());
        return result;
      } catch (error) {
        const response = (error as { $response?: unknown }).$response;
        this.observe(dateHeader(response), sentAt, this.#local());
        throw error;
      }
    };
    return {
      applyToStack: (stack) => {
        stack.add(middleware, {
          step: 'deserialize',
          name: SERVER_CLOCK_MIDDLEWARE,
          override: true,
        });
      },
    };
  }
}

function dateHeader(response: unknown): string | undefined {
  const headers = (response as { headers?: Record<string, string | undefined> } | undefined)
    ?.headers;
  return headers?.date ?? headers?.Date;
}
