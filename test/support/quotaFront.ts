import { once } from 'node:events';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';

/** A quota shared by a group of operations: `ratePerSecond` sustained, `burst` at once. */
export interface OperationQuota {
  /** `X-Amz-Target` values that count against this quota, such as `AmazonSSM.PutParameter`. */
  readonly targets: readonly string[];
  readonly ratePerSecond: number;
  readonly burst: number;
}

/**
 * The standard-throughput Parameter Store quotas per account and region: PutParameter 3/s, and
 * GetParameter, GetParameters and GetParametersByPath 40/s together.
 */
export const STANDARD_SSM_QUOTAS: readonly OperationQuota[] = [
  { targets: ['AmazonSSM.PutParameter'], ratePerSecond: 3, burst: 3 },
  {
    targets: ['AmazonSSM.GetParameter', 'AmazonSSM.GetParameters', 'AmazonSSM.GetParametersByPath'],
    ratePerSecond: 40,
    burst: 40,
  },
];

/** A running quota front. */
export interface QuotaFront {
  /** `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL` or the CLI's `--endpoint-url`. */
  readonly endpoint: string;
  /** The moto environment, with `AWS_ENDPOINT_URL` pointing at the front. */
  readonly env: Readonly<Record<string, string>>;
  /** Requests forwarded to moto, by operation (`PutParameter`). */
  readonly passed: ReadonlyMap<string, number>;
  /** Requests answered with `ThrottlingException`, by operation. */
  readonly throttled: ReadonlyMap<string, number>;
  /** Zeroes both counts and refills every quota. */
  reset(): void;
  stop(): Promise<void>;
}

/** What AWS answers a JSON 1.1 call (SSM, Secrets Manager) beyond its quota. */
const THROTTLED_BODY = JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' });

/**
 * Starts an HTTP server on 127.0.0.1 in front of moto that enforces per-operation quotas the way
 * AWS does: a call beyond its token bucket, told apart by its `X-Amz-Target` header, is answered
 * with HTTP 400 and `{"__type":"ThrottlingException","message":"Rate exceeded"}` and never
 * reaches moto; every other request is forwarded unchanged. Any client works through it: the SDK
 * (`AWS_ENDPOINT_URL`), the AWS CLI (`--endpoint-url`) and boto3.
 *
 * @param upstream - moto's endpoint (`moto.endpoint`)
 * @param env - the environment clients need besides the endpoint (`moto.env`)
 * @param quotas - default {@link STANDARD_SSM_QUOTAS}; operations in none pass unlimited
 *
 * @example
 * const front = await startQuotaFront(moto.endpoint, moto.env);
 * const ssm = new SSMClient({ endpoint: front.endpoint });
 * front.throttled.get('PutParameter'); // => how many PutParameter calls were refused
 */
export async function startQuotaFront(
  upstream: string,
  env: Readonly<Record<string, string>> = {},
  quotas: readonly OperationQuota[] = STANDARD_SSM_QUOTAS,
): Promise<QuotaFront> {
  const upstreamUrl = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const passed = new Map<string, number>();
  const throttled = new Map<string, number>();
  let buckets = quotas.map((quota) => new QuotaBucket(quota));
  const count = (counts: Map<string, number>, operation: string) =>
    counts.set(operation, (counts.get(operation) ?? 0) + 1);

  const server = createServer((incoming, outgoing) => {
    const target = String(incoming.headers['x-amz-target'] ?? '');
    const operation = target.slice(target.indexOf('.') + 1) || `${incoming.method} ${incoming.url}`;
    const bucket = buckets.find((candidate) => candidate.quota.targets.includes(target));
    if (bucket !== undefined && !bucket.take()) {
      count(throttled, operation);
      incoming.resume();
      outgoing.writeHead(400, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': crypto.randomUUID(),
      });
      outgoing.end(THROTTLED_BODY);
      return;
    }
    count(passed, operation);
    forward(incoming, outgoing, upstreamUrl, agent);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('quota front: no port');
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    env: { ...env, AWS_ENDPOINT_URL: endpoint },
    passed,
    throttled,
    reset: () => {
      passed.clear();
      throttled.clear();
      buckets = quotas.map((quota) => new QuotaBucket(quota));
    },
    stop: async () => {
      server.closeAllConnections();
      server.close();
      agent.destroy();
      await once(server, 'close');
    },
  };
}

function forward(incoming: IncomingMessage, outgoing: ServerResponse, upstream: URL, agent: Agent) {
  const proxied = httpRequest(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: incoming.method,
      path: incoming.url,
      headers: incoming.headers,
      agent,
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  proxied.on('error', (error) => {
    if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
    outgoing.end(`quota front: moto unreachable (${error.message})`);
  });
  incoming.pipe(proxied);
}

/** The server side of a quota: refuses, never waits. */
class QuotaBucket {
  public readonly quota: OperationQuota;
  #tokens: number;
  #refilledAt = performance.now();

  public constructor(quota: OperationQuota) {
    this.quota = quota;
    this.#tokens = quota.burst;
  }

  /** Takes a token when one is left. */
  public take(): boolean {
    const now = performance.now();
    this.#tokens = Math.min(
      this.quota.burst,
      this.#tokens + ((now - this.#refilledAt) / 1000) * this.quota.ratePerSecond,
    );
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
