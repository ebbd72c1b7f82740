import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type { InstanceConfig } from '../../../lambdas/config/index.ts';
import { loginInstance } from '../../../lambdas/providers/index.ts';
import {
  createRefresherClients,
  createRefreshHandler,
  type InstanceResult,
  type LoginFunction,
  RefresherMetrics,
  RefreshFailedError,
  type RefreshHandlerOptions,
} from '../../../lambdas/refresher/index.ts';
import { TotpGuard } from '../../../lambdas/totp/index.ts';
import { instantTotpGuard } from '../../fakes/index.ts';
import { type FrozenServer, startFrozenServer } from '../../support/frozenServer.ts';
import { captureConsole } from '../refresher/fixtures.ts';
import { AwsFaultHandler, type AwsFaultRule } from './AwsFaultHandler.ts';
import {
  type FaultFleet,
  FLEET,
  type FleetName,
  type FleetOptions,
  startFaultFleet,
} from './faultFleet.ts';

/** Timeouts and lease lengths of a case: short, so that the matrix stays fast. */
export interface CaseTiming {
  /** Each vendor HTTP attempt of the faulty instance (the providers' `timeoutMs`). */
  readonly vendorAttemptMs: number;
  readonly loginTimeoutMs: number;
  readonly publishReserveMs: number;
  readonly leaseMs: number;
  /** Each AWS attempt (the clients' request timeout). */
  readonly awsRequestMs: number;
}

/**
 * The timing of every case unless it says otherwise. Vendor attempts are generous, so that a
 * loaded machine never makes an instance retry: a fault answered once and then retried would be
 * absorbed, and a TOTP login's third attempt would need a code two steps ahead. Cases about
 * timeouts set {@link SHORT_VENDOR_ATTEMPT_MS}.
 */
export const DEFAULT_TIMING: CaseTiming = {
  vendorAttemptMs: 5_000,
  loginTimeoutMs: 4_000,
  publishReserveMs: 5_000,
  leaseMs: 15_000,
  awsRequestMs: 2_000,
};

/** The faulty instance's vendor attempt in the cases about a vendor that answers too slowly. */
export const SHORT_VENDOR_ATTEMPT_MS = 250;

/**
 * SDK attempts per AWS call in the matrix: one retry shows that the SDK's retry strategy handles
 * a fault, without the seconds of adaptive backoff that the production default of 10 allows.
 */
export const AWS_ATTEMPTS = 2;

/** How one case breaks the fleet. */
export interface FaultSpec {
  /** The one instance the fault is injected on. */
  readonly faulty: FleetName;
  readonly fleet?: FleetOptions;
  /** The faulty instance's login endpoint accepts connections and never answers. */
  readonly vendorFrozen?: boolean;
  /** Faults of the AWS calls, injected under the SDK clients. */
  readonly aws?: readonly AwsFaultRule[];
  /** TOTP clocks (epoch ms) of instances whose codes must come from a controlled time. */
  readonly totpClocks?: Partial<Record<FleetName, () => number>>;
  readonly timing?: Partial<CaseTiming>;
  /** Breaks the running fleet before the first invocation. */
  readonly inject?: (fleet: FaultFleet) => void | Promise<void>;
}

/** A wait a login asked for (a backoff or a `Retry-After`), recorded instead of slept. */
export interface RecordedWait {
  readonly instance: string;
  readonly ms: number;
}

/** What one invocation of the refresher's handler returned or threw. */
export interface Invocation {
  readonly results: readonly InstanceResult[];
  /** The handler's error when an instance failed. */
  readonly error?: RefreshFailedError;
  /** Anything else the handler threw (the run could not start). */
  readonly thrown?: unknown;
  readonly elapsedMs: number;
}

/** What {@link FaultCase.invoke} may change for one invocation. */
export interface InvokeOptions {
  /** Instead of the providers' login for the faulty instance. */
  readonly faultyLogin?: LoginFunction;
  /** The run's clock (default: AWS's, from the clients). */
  readonly now?: () => number;
  /** The invocation's remaining time at its start, ms (default 60 s). */
  readonly remainingMs?: number;
  readonly onResult?: (result: InstanceResult) => void;
}

/**
 * One case of the fault matrix, running: the fleet with its fault injected, the refresher's real
 * clients over the fault handler, logs captured. Invoke the refresher's Lambda handler with
 * {@link FaultCase.invoke}; {@link FaultCase.close} stops everything.
 */
export interface FaultCase {
  readonly spec: FaultSpec;
  readonly fleet: FaultFleet;
  readonly aws: AwsFaultHandler;
  /** Every line the logger and metrics wrote so far. */
  readonly logs: readonly string[];
  /** The lines that are JSON records (log records, EMF documents). */
  records(): Record<string, unknown>[];
  /** The waits logins asked for. */
  readonly waits: readonly RecordedWait[];
  /** A server that accepts and never answers, for vendor or AWS endpoints that hang. */
  readonly frozen: FrozenServer;
  invoke(options?: InvokeOptions): Promise<Invocation>;
  close(): Promise<void>;
}

/** A TOTP guard on `now` whose waits move its clock ahead instead of sleeping. */
function controlledTotpGuard(now: () => number): TotpGuard {
  let offset = 0;
  return new TotpGuard({
    now: () => now() + offset,
    sleep: async (ms) => {
      offset += ms;
    },
    minRemainingMs: 0,
  });
}

function context(remainingMs: number): Context {
  const deadline = Date.now() + remainingMs;
  return {
    functionName: 'token-broker-refresher',
    awsRequestId: crypto.randomUUID(),
    getRemainingTimeInMillis: () => deadline - Date.now(),
  } as Context;
}

/**
 * Starts a case: a frozen server, the fleet (with `spec.fleet`'s changes), the fault injected, and
 * the console captured. Run it against a freshly reset moto.
 */
export async function startFaultCase(spec: FaultSpec): Promise<FaultCase> {
  const timing = { ...DEFAULT_TIMING, ...spec.timing };
  const frozen = await startFrozenServer();
  const fleet = await startFaultFleet({
    ...spec.fleet,
    ...(spec.vendorFrozen === true ? { endpoints: { [spec.faulty]: frozen.url } } : {}),
  });
  await spec.inject?.(fleet);
  const aws = new AwsFaultHandler(spec.aws ?? [], {
    frozenPort: frozen.port,
    connectionTimeoutMs: timing.awsRequestMs,
    requestTimeoutMs: timing.awsRequestMs,
  });
  const clients = createRefresherClients({
    requestHandler: aws,
    pacing: false,
    maxAttempts: AWS_ATTEMPTS,
  });
  const guards = new Map<string, TotpGuard>(
    FLEET.map((name) => {
      const clock = spec.totpClocks?.[name];
      return [name, clock === undefined ? instantTotpGuard() : controlledTotpGuard(clock)];
    }),
  );
  const waits: RecordedWait[] = [];
  const providersLogin: LoginFunction = (instance: InstanceConfig, credentials, options) =>
    loginInstance(instance, credentials, {
      timeoutMs:
        instance.name === spec.faulty ? timing.vendorAttemptMs : DEFAULT_TIMING.vendorAttemptMs,
      random: () => 0.5,
      sleep: async (ms, signal) => {
        signal?.throwIfAborted();
        waits.push({ instance: instance.name, ms });
      },
      ...(guards.has(instance.name) ? { totpGuard: guards.get(instance.name) as TotpGuard } : {}),
      ...options,
    });
  const capture = captureConsole();
  const logger = new Logger({ serviceName: RefresherMetrics.serviceName, logLevel: 'DEBUG' });
  const metrics = new Metrics({
    namespace: RefresherMetrics.namespace,
    serviceName: RefresherMetrics.serviceName,
  });

  return {
    spec,
    fleet,
    aws,
    logs: capture.lines,
    records: capture.records,
    waits,
    frozen,
    async invoke(options = {}) {
      const { faultyLogin } = options;
      const login: LoginFunction =
        faultyLogin === undefined
          ? providersLogin
          : (instance, credentials, loginOptions) =>
              (instance.name === spec.faulty ? faultyLogin : providersLogin)(
                instance,
                credentials,
                loginOptions,
              );
      const handlerOptions: RefreshHandlerOptions = {
        ...clients,
        login,
        logger,
        metrics,
        loginTimeoutMs: timing.loginTimeoutMs,
        publishReserveMs: timing.publishReserveMs,
        leaseMs: timing.leaseMs,
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(options.onResult === undefined ? {} : { onResult: options.onResult }),
      };
      const handler = createRefreshHandler(
        { config: fleet.config, scheduleSeconds: 300 },
        handlerOptions,
      );
      const started = performance.now();
      try {
        const summary = await handler({}, context(options.remainingMs ?? 60_000));
        return { results: summary.results, elapsedMs: performance.now() - started };
      } catch (error) {
        const elapsedMs = performance.now() - started;
        if (error instanceof RefreshFailedError)
          return { results: error.results, error, elapsedMs };
        return { results: [], thrown: error, elapsedMs };
      }
    },
    async close() {
      capture.restore();
      await Promise.all([fleet.close(), frozen.close()]);
    },
  };
}

/** Every item of the fleet's state table, raw, as DynamoDB returns it. */
export async function stateTableItems(fleet: FaultFleet): Promise<unknown[]> {
  const output = await new DynamoDBClient({}).send(
    new ScanCommand({ TableName: fleet.config.stateTable, ConsistentRead: true }),
  );
  return output.Items ?? [];
}
