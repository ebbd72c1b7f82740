import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { Credentials, InstanceConfig } from '../config/index.ts';
import type { TokenEnvelope } from '../reader/contract/index.ts';
import type { InstanceResult } from './contract.ts';
import type { RefresherPacers } from './pacing.ts';
import type { ServerClock } from './ServerClock.ts';
import type { StateTable } from './StateTable.ts';

/** The defaults of {@link RefreshCycleOptions}, applied in one place. */
export const refreshDefaults = {
  force: false,
  scheduleSeconds: 300,
  marginSeconds: 60,
  concurrency: 8,
  /** Above one TOTP step (30 s): a login may have to wait for the next step's code. */
  loginTimeoutMs: 45_000,
  publishReserveMs: 5_000,
  leaseMs: 90_000,
  onDemandCooldownSeconds: 30,
} as const;

/**
 * SDK attempts per AWS call (first try included), with the adaptive retry mode's client-side rate
 * limiting. With 10 attempts and backoff capped at 20 s a call survives more than a minute of
 * throttling.
 */
export const SDK_MAX_ATTEMPTS = 10;

/** Options of {@link runRefreshCycle}; every one has a default (see {@link refreshDefaults}). */
export interface RefreshCycleOptions {
  /** Only these instances. Default: all configured instances. */
  readonly names?: readonly string[];
  /**
   * Log in even when the stored token is fresh; a TOTP instance that logged in less than a step
   * ago is logged in to once the step has ended (at most about 31 s later). Default: `false`.
   */
  readonly force?: boolean;
  /**
   * A reader's on-demand request ({@link RefreshEvent.onDemand}): forced, unless the instance was
   * refreshed less than `onDemandCooldownSeconds` ago. Default: `false`.
   */
  readonly onDemand?: boolean;
  /** Seconds after a refresh during which on-demand requests do not log in again. Default: 30. */
  readonly onDemandCooldownSeconds?: number;
  /** Seconds between scheduled runs: a token due before the next run (plus margin) is refreshed now. Default: 300. */
  readonly scheduleSeconds?: number;
  /** Extra seconds added to the next run when deciding what is due. Default: 60. */
  readonly marginSeconds?: number;
  /** KMS key (id, alias or ARN) for the token parameters. Default: the account's `aws/ssm` key. */
  readonly kmsKeyId?: string;
  /** Instances refreshed at the same time. Default: 8. */
  readonly concurrency?: number;
  /** Longest a login may take before it is aborted, in ms (a TOTP login may wait up to 30 s for a fresh code). Default: 45,000. */
  readonly loginTimeoutMs?: number;
  /** Time kept after a login for the publish and the lease release, in ms. Default: 5,000. */
  readonly publishReserveMs?: number;
  /** How long a login lease lasts, in ms; must exceed login timeout plus publish reserve. Default: 90,000. */
  readonly leaseMs?: number;
  /** Logs in to one instance. Default: the providers' `loginInstance`. */
  readonly login?: LoginFunction;
  /** Default: the refresher's SSM client (paced, adaptive retry mode; {@link createRefresherClients}). */
  readonly ssm?: SSMClient;
  /** Default: the refresher's Secrets Manager client. */
  readonly secretsManager?: SecretsManagerClient;
  /** The client of the state table (`config.stateTable`). Default: the refresher's DynamoDB client. */
  readonly dynamodb?: DynamoDBClient;
  /**
   * The buckets the clients' calls wait for ({@link createRefresherClients} returns them with the
   * clients): the PutParameter bucket tells how long a publish would wait. Default: those of the
   * refresher's own clients when it creates them, else none (no wait is expected).
   */
  readonly pacers?: RefresherPacers;
  /**
   * AWS's time ({@link createRefresherClients} returns it with the clients): leases and token
   * times are written on it, so a container with a skewed clock writes correct ones. Default:
   * that of the refresher's own clients when it creates them; ignored when `now` is given.
   */
  readonly clock?: ServerClock;
  /** Default: a silent logger. */
  readonly logger?: Logger;
  /** Default: no metrics. */
  readonly metrics?: Metrics;
  /** Epoch milliseconds. Default: AWS's time from `clock`, else `Date.now`. */
  readonly now?: () => number;
  /** Waits `ms` (or until `signal` aborts). Default: a timer. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Milliseconds until the invocation times out (`context.getRemainingTimeInMillis`). Default: unlimited. */
  readonly remainingTimeMs?: () => number;
  /** Called as each instance finishes (the CLI prints a progress line). */
  readonly onResult?: (result: InstanceResult) => void;
}

/** The result of one run. */
export interface RefreshSummary {
  /** One result per selected instance, in configuration order. */
  readonly results: readonly InstanceResult[];
}

/** One run's settings and dependencies, with every default applied (internal to the cycle). */
export interface RefreshRun {
  /** Random per run: the lease owner. */
  readonly runId: string;
  /** Instances attempted at the same time. */
  readonly concurrency: number;
  /** Epoch milliseconds when the run had read what is stored, on AWS's clock. */
  readonly startedAt: number;
  readonly parameterPrefix: string;
  readonly force: boolean;
  /** On-demand runs: no login when the last refresh is more recent than this many ms (0: none). */
  readonly onDemandCooldownMs: number;
  /** A `refreshAt` within this many ms from now makes a token due. */
  readonly horizonMs: number;
  readonly kmsKeyId: string | undefined;
  readonly loginTimeoutMs: number;
  readonly publishReserveMs: number;
  readonly leaseMs: number;
  readonly login: LoginFunction;
  readonly ssm: SSMClient;
  readonly secretsManager: SecretsManagerClient;
  readonly stateTable: StateTable;
  readonly publishWaitMs: () => number;
  readonly logger: Logger;
  readonly metrics: Metrics | undefined;
  readonly now: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly remainingTimeMs: () => number;
}

/** What the refresher passes to a login. */
export interface LoginCallOptions {
  /** Aborted when the login would outlast its budget (timeout, or the Lambda's remaining time). */
  readonly signal: AbortSignal;
  /** The refresher's clock, epoch milliseconds. */
  readonly now: () => number;
  /** Told what the run should log, such as a lifetime capped at `maxLifetimeSeconds`. */
  readonly onNotice?: ((message: string) => void) | undefined;
  /**
   * Receives credentials the server replaced during the login (a rotated refresh token), complete,
   * as soon as they are known; the refresher stores them in the instance's secret before it
   * publishes. A login that rotates nothing never calls it.
   */
  readonly onCredentialsRotated?: ((credentials: Credentials) => void) | undefined;
}

/**
 * Logs in to one provider instance and returns its complete envelope. The default is the
 * providers' `loginInstance`; tests inject their own.
 */
export type LoginFunction = (
  instance: InstanceConfig,
  credentials: Credentials,
  options: LoginCallOptions,
) => Promise<TokenEnvelope>;
