import { Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';

type Request = Parameters<NodeHttpHandler['handle']>[0];
type Handled = Awaited<ReturnType<NodeHttpHandler['handle']>>;

/** An error answer of a JSON-protocol AWS service (SSM, Secrets Manager, DynamoDB). */
export interface AwsErrorAnswer {
  readonly status: number;
  /** The exception's name, sent as `__type`, such as `ThrottlingException`. */
  readonly type: string;
  readonly message: string;
}

/** A request body as text (the SDK hands over a string or bytes). */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return '';
}

/** One AWS fault: which calls it hits, and what they get instead of the real answer. */
export interface AwsFaultRule {
  /** The call's `X-Amz-Target`, such as `secretsmanager.GetSecretValue`. Default: any call. */
  readonly target?: string;
  /**
   * A resource the request body names (a secret id, a parameter name, an instance's key), matched
   * as a JSON string. Default: any.
   */
  readonly resource?: string;
  /** An error answer, or `freeze`: the call goes to an endpoint that never answers. */
  readonly fault: AwsErrorAnswer | 'freeze';
  /** How many matching calls get the fault before it clears. Default: every one. */
  readonly times?: number;
}

/**
 * The HTTP handler under the refresher's SDK clients for the fault matrix: the calls a rule
 * matches get its fault, every other call goes to the real endpoint (moto). The SDK's own retry
 * strategy, timeouts and error parsing handle the faults, as they would AWS's.
 */
export class AwsFaultHandler extends NodeHttpHandler {
  /** Calls that got a fault, by `X-Amz-Target`. */
  public readonly faulted = new Map<string, number>();
  readonly #rules: { rule: AwsFaultRule; left: number }[];
  readonly #frozenPort: number | undefined;

  /**
   * @param rules - the faults to inject
   * @param options.frozenPort - where `freeze` sends a call (a frozen server on 127.0.0.1)
   * @param options.connectionTimeoutMs - as the refresher's clients set it
   * @param options.requestTimeoutMs - as the refresher's clients set it
   */
  public constructor(
    rules: readonly AwsFaultRule[],
    options: {
      readonly frozenPort?: number;
      readonly connectionTimeoutMs: number;
      readonly requestTimeoutMs: number;
    },
  ) {
    super({
      connectionTimeout: options.connectionTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      throwOnRequestTimeout: true,
    });
    this.#rules = rules.map((rule) => ({ rule, left: rule.times ?? Number.POSITIVE_INFINITY }));
    this.#frozenPort = options.frozenPort;
  }

  public override async handle(request: Request, options?: HttpHandlerOptions): Promise<Handled> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const body = bodyText(request.body);
    const match = this.#rules.find(
      ({ rule, left }) =>
        left > 0 &&
        (rule.target === undefined || rule.target === target) &&
        (rule.resource === undefined || body.includes(JSON.stringify(rule.resource))),
    );
    if (match === undefined) return super.handle(request, options);
    match.left -= 1;
    this.faulted.set(target, (this.faulted.get(target) ?? 0) + 1);
    const { fault } = match.rule;
    if (fault === 'freeze') {
      if (this.#frozenPort === undefined) throw new Error('a freeze needs a frozen server port');
      const frozen = request.clone();
      frozen.hostname = '127.0.0.1';
      frozen.port = this.#frozenPort;
      return super.handle(frozen, options);
    }
    const answer = JSON.stringify({ __type: fault.type, message: fault.message });
    return {
      response: {
        statusCode: fault.status,
        reason: 'Bad Request',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': crypto.randomUUID(),
        },
        body: Readable.from([Buffer.from(answer)]),
      },
    } as Handled;
  }
}
