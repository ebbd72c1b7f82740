import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import {
  createPacers,
  type PacingLimits,
  pacingLimits,
  pacingPlugin,
  type RefresherPacers,
} from './pacing.ts';
import { SDK_MAX_ATTEMPTS } from './RefreshCycleOptions.ts';
import { ServerClock } from './ServerClock.ts';

/** The AWS clients a refresh run uses. */
export interface RefresherClients {
  readonly ssm: SSMClient;
  readonly secretsManager: SecretsManagerClient;
  /** The state table's client: adaptive retry and the same timeouts, not paced. */
  readonly dynamodb: DynamoDBClient;
  /** The buckets the SSM and Secrets Manager calls wait for; absent when pacing is off. */
  readonly pacers?: RefresherPacers;
  /** AWS's time, measured from the `Date` header of the state table's and SSM's responses. */
  readonly clock?: ServerClock;
}

interface CommonOptions {
  /** Requests per second per API, or `false` to send unpaced. Default: `pacingLimits.standard`. */
  readonly pacing?: PacingLimits | false;
  /** SDK attempts per call, the first included. Default: {@link SDK_MAX_ATTEMPTS} (10). */
  readonly maxAttempts?: number;
  /** The local clock the {@link ServerClock} corrects, epoch ms. Default: `Date.now`. */
  readonly localClock?: () => number;
}

interface TimeoutOptions extends CommonOptions {
  /** Longest wait for a TCP connection to AWS, in ms. Default: 3,000. */
  readonly connectionTimeoutMs?: number;
  /** Longest wait for one attempt's response, in ms. Default: 10,000. */
  readonly requestTimeoutMs?: number;
  readonly requestHandler?: never;
}

interface HandlerOptions extends CommonOptions {
  /**
   * The HTTP handler under the SDK's middleware, for all three clients; tests inject faults here
   * so that the real retry strategy and pacing handle them. It brings its own timeouts.
   */
  readonly requestHandler: SSMClientConfig['requestHandler'];
  readonly connectionTimeoutMs?: never;
  readonly requestTimeoutMs?: never;
}

/** Options of {@link createRefresherClients}: timeouts, or a request handler that has its own. */
export type RefresherClientOptions = TimeoutOptions | HandlerOptions;

/**
 * The defaults of {@link RefresherClientOptions}, applied in one place.
 *
 * @example
 * createRefresherClients({ requestTimeoutMs: 2 * refresherClientDefaults.requestTimeoutMs });
 */
export const refresherClientDefaults = {
  /** A frozen endpoint fails a connection after this long. */
  connectionTimeoutMs: 3_000,
  /** Well above an SSM or Secrets Manager answer (tens of ms); a hung attempt fails after this. */
  requestTimeoutMs: 10_000,
} as const;

/** The SSM commands that count against each SSM quota. */
function ssmCommands(pacers: RefresherPacers) {
  return {
    PutParameterCommand: pacers.putParameter,
    GetParameterCommand: pacers.getParameters,
    GetParametersCommand: pacers.getParameters,
    GetParametersByPathCommand: pacers.getParameters,
  };
}

/**
 * Creates the refresher's SSM, Secrets Manager and DynamoDB clients. Every SSM `PutParameter`,
 * every SSM read (`GetParameter`, `GetParameters`, `GetParametersByPath`, one shared bucket) and
 * every Secrets Manager `GetSecretValue` and `PutSecretValue` waits for its API's bucket, once
 * per attempt; the SDK's adaptive retry mode (client-side rate limiting plus backoff on
 * throttling) stays as the second line. A connection gives up after 3 s and an attempt after
 * 10 s, so a frozen endpoint fails a call in bounded time. Region, endpoint (`AWS_ENDPOINT_URL`)
 * and credentials come from the standard SDK environment.
 *
 * @param options.pacing - `pacingLimitsFor(config)` for the broker's `ssmThroughput`; default
 *   `pacingLimits.standard`; `false` turns pacing off
 * @param options.connectionTimeoutMs - default 3,000
 * @param options.requestTimeoutMs - default 10,000
 * @param options.maxAttempts - default {@link SDK_MAX_ATTEMPTS}
 * @param options.requestHandler - instead of the timeouts: the HTTP handler of all three clients
 *
 * @example
 * const { ssm, secretsManager, dynamodb, pacers } = createRefresherClients({
 *   pacing: pacingLimitsFor(config),
 * });
 */
export function createRefresherClients(options: RefresherClientOptions = {}): RefresherClients {
  const requestHandler = options.requestHandler ?? {
    connectionTimeout: options.connectionTimeoutMs ?? refresherClientDefaults.connectionTimeoutMs,
    requestTimeout: options.requestTimeoutMs ?? refresherClientDefaults.requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
  const config = {
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? SDK_MAX_ATTEMPTS,
    requestHandler,
  } as const;
  const ssm = new SSMClient(config);
  const secretsManager = new SecretsManagerClient(config);
  const dynamodb = new DynamoDBClient(config);
  const clock = new ServerClock(options.localClock);
  dynamodb.middlewareStack.use(clock.plugin());
  ssm.middlewareStack.use(clock.plugin());
  const limits = options.pacing ?? pacingLimits.standard;
  if (limits === false) return { ssm, secretsManager, dynamodb, clock };
  const pacers = createPacers(limits);
  ssm.middlewareStack.use(pacingPlugin(ssmCommands(pacers)));
  secretsManager.middlewareStack.use(
    pacingPlugin({
      GetSecretValueCommand: pacers.getSecretValue,
      PutSecretValueCommand: pacers.putSecretValue,
    }),
  );
  return { ssm, secretsManager, dynamodb, pacers, clock };
}
