import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { InstanceResult } from './contract.ts';
import type { LoginFunction } from './LoginFunction.ts';

/** Options of {@link runRefreshCycle}; every one has a default (see {@link refreshDefaults}). */
export interface RefreshCycleOptions {
  /** Only these instances. Default: all configured instances. */
  readonly names?: readonly string[];
  /** Log in even when the stored token is fresh. Default: `false`. */
  readonly force?: boolean;
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
  /** Default: an SSM client in adaptive retry mode ({@link createRefresherClients}). */
  readonly ssm?: SSMClient;
  /** Default: a Secrets Manager client in adaptive retry mode. */
  readonly secretsManager?: SecretsManagerClient;
  /** Default: a silent logger. */
  readonly logger?: Logger;
  /** Default: no metrics. */
  readonly metrics?: Metrics;
  /** Epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
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
