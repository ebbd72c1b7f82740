import type { LambdaClient } from '@aws-sdk/client-lambda';
import { ReaderDefaults } from './constants.ts';
import type { RefreshEvent } from './contract/refreshEvent.ts';
import { TokenRefreshError } from './errors.ts';

/** How much of the refresher's error message goes into a {@link TokenRefreshError}. */
const MAX_DETAIL_LENGTH = 500;

/**
 * Asks the refresher Lambda to log in again for one instance: a synchronous invoke of
 * `{ names: [name], force: true, onDemand: true }`. Per instance, at most one invoke runs at a time (concurrent
 * requests share it) and a new one starts only after a cooldown; a request inside the cooldown
 * returns `false` at once.
 *
 * `@aws-sdk/client-lambda` is imported on the first invoke, so a function that never needs one
 * does not load it.
 */
export class RefresherInvoker {
  readonly #functionName: string;
  readonly #cooldownSeconds: number;
  #client: LambdaClient | undefined;
  readonly #running = new Map<string, Promise<boolean>>();
  readonly #cooldowns = new Map<string, Cooldown>();

  /**
   * @param functionName - the refresher Lambda's name or ARN
   * @param cooldownSeconds - seconds between two invokes for one instance
   * @param client - the Lambda client (default: a `LambdaClient` with a 3 s connection and 120 s
   *   answer timeout, created on first use)
   */
  public constructor(functionName: string, cooldownSeconds: number, client?: LambdaClient) {
    this.#functionName = functionName;
    this.#cooldownSeconds = cooldownSeconds;
    this.#client = client;
  }

  /**
   * Refreshes the instance's token unless a refresh is running (then waits for it) or ran within
   * the cooldown.
   *
   * @returns whether the refresher was invoked (or joined) and succeeded; `false` when skipped
   * @throws {TokenRefreshError} when the invoke fails or the refresher reports a failure
   */
  public refresh(name: string): Promise<boolean> {
    const running = this.#running.get(name);
    if (running !== undefined) return running;
    const cooldown = this.#cooldowns.get(name);
    if (cooldown !== undefined && !cooldown.isOver()) return Promise.resolve(false);
    this.#cooldowns.set(name, new Cooldown(this.#cooldownSeconds));
    const invoke = this.#invoke(name).finally(() => this.#running.delete(name));
    this.#running.set(name, invoke);
    return invoke;
  }

  async #invoke(name: string): Promise<true> {
    const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
    this.#client ??= new LambdaClient({
      requestHandler: {
        connectionTimeout: ReaderDefaults.connectionTimeoutMs,
        requestTimeout: ReaderDefaults.invokeTimeoutMs,
        throwOnRequestTimeout: true,
      },
    });
    const event: RefreshEvent = { names: [name], force: true, onDemand: true };
    let output: { FunctionError?: string | undefined; Payload?: Uint8Array | undefined };
    try {
      output = await this.#client.send(
        new InvokeCommand({
          FunctionName: this.#functionName,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
    } catch (error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new TokenRefreshError(name, `invoking ${this.#functionName} failed: ${detail}`, {
        cause: error,
      });
    }
    if (output.FunctionError !== undefined) {
      throw new TokenRefreshError(
        name,
        `${this.#functionName} failed (${output.FunctionError}): ${describePayload(output.Payload)}`,
      );
    }
    return true;
  }
}

/** The `errorType: errorMessage` of a Lambda error payload, shortened. */
function describePayload(payload: Uint8Array | undefined): string {
  const text = payload === undefined ? '' : new TextDecoder().decode(payload);
  let detail = text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed) {
      const { errorType, errorMessage } = parsed as { errorType?: unknown; errorMessage?: unknown };
      detail = `${String(errorType ?? 'Error')}: ${String(errorMessage)}`;
    }
  } catch {
    // not JSON: keep the raw text
  }
  return detail.length > MAX_DETAIL_LENGTH ? `${detail.slice(0, MAX_DETAIL_LENGTH)}…` : detail;
}

/**
 * A quiet period that starts when it is created: rate-limits an action to once per `seconds`.
 */
export class Cooldown {
  /** When the period ends, in epoch milliseconds. */
  public readonly endsAtMs: number;

  /**
   * @param seconds - how long the period lasts from now
   */
  public constructor(seconds: number) {
    this.endsAtMs = Date.now() + seconds * 1000;
  }

  /** Whether the period is over, so the action may run again. */
  public isOver(): boolean {
    return Date.now() >= this.endsAtMs;
  }
}
