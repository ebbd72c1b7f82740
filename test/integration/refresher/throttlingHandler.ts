import { Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';

type Request = Parameters<NodeHttpHandler['handle']>[0];
type Handled = Awaited<ReturnType<NodeHttpHandler['handle']>>;

/** A service-side quota: `ratePerSecond` sustained, `burst` at once. */
export interface Quota {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/**
 * An HTTP handler under the SDK's middleware that enforces a request quota per service, the way
 * AWS throttles: a request beyond the token bucket is answered with the service's
 * `ThrottlingException` (HTTP 400, not applied); the others go to the real endpoint. So the
 * client's own retry strategy (adaptive mode) is what copes with throttling.
 */
export class ThrottlingHandler extends NodeHttpHandler {
  /** Throttled requests, by operation (`X-Amz-Target`). */
  public readonly throttled = new Map<string, number>();
  /** Requests passed to the endpoint, by operation. */
  public readonly passed = new Map<string, number>();
  readonly #quota: Quota;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  public constructor(quota: Quota) {
    super();
    this.#quota = quota;
  }

  public override async handle(request: Request, options?: HttpHandlerOptions): Promise<Handled> {
    const [service = '', operation = ''] = String(request.headers['x-amz-target'] ?? '.').split(
      '.',
    );
    if (!this.#take(service)) {
      this.throttled.set(operation, (this.throttled.get(operation) ?? 0) + 1);
      const body = JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' });
      return {
        response: {
          statusCode: 400,
          reason: 'Bad Request',
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: Readable.from([Buffer.from(body)]),
        },
      } as Handled;
    }
    this.passed.set(operation, (this.passed.get(operation) ?? 0) + 1);
    return super.handle(request, options);
  }

  #take(service: string): boolean {
    const now = performance.now();
    const bucket = this.#buckets.get(service) ?? { tokens: this.#quota.burst, at: now };
    bucket.tokens = Math.min(
      this.#quota.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.#quota.ratePerSecond,
    );
    bucket.at = now;
    this.#buckets.set(service, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
