import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { LoginFunction } from './LoginFunction.ts';

/** One run's settings and dependencies, with every default applied (internal to the cycle). */
export interface RefreshRun {
  /** Random per run: the lease owner. */
  readonly runId: string;
  /** Epoch milliseconds when the run started. */
  readonly startedAt: number;
  readonly parameterPrefix: string;
  readonly force: boolean;
  /** A `refreshAt` within this many ms from now makes a token due. */
  readonly horizonMs: number;
  readonly kmsKeyId: string | undefined;
  readonly loginTimeoutMs: number;
  readonly publishReserveMs: number;
  readonly leaseMs: number;
  readonly login: LoginFunction;
  readonly ssm: SSMClient;
  readonly secretsManager: SecretsManagerClient;
  readonly logger: Logger;
  readonly metrics: Metrics | undefined;
  readonly now: () => number;
  readonly remainingTimeMs: () => number;
}
