/**
 * What the refresher shares with the infrastructure that deploys it and the tools that call it:
 * environment variable names, the result of a run, and metric names. The event readers send is in
 * the reader's contract (`lambdas/reader/contract/refreshEvent.ts`). Changing a value here changes
 * the deployed contract.
 */

/** Environment variables the refresher reads. */
export const RefresherEnvironment = {
  /** The broker configuration document (README, "Configuration"), as JSON, when it fits in the environment. */
  config: 'TOKEN_BROKER_CONFIG',
  /**
   * For large fleets instead of `config`: a JSON file holding the document, shipped in the
   * deployment archive, as a path relative to the handler's directory (the Lambda task root).
   */
  configFile: 'TOKEN_BROKER_CONFIG_FILE',
  /** Seconds between scheduled runs; a token due before the next run plus a margin is refreshed now. */
  scheduleSeconds: 'TOKEN_BROKER_SCHEDULE_SECONDS',
  /** Optional KMS key (id, alias or ARN) that encrypts the token parameters. */
  kmsKeyId: 'TOKEN_BROKER_KMS_KEY_ID',
} as const;

/**
 * The state table's partition key: the instance name (String). The table has no sort key; the
 * stack and `token-broker init` create it so.
 */
export const STATE_TABLE_PARTITION_KEY = 'instance';

/**
 * The outcomes of one instance in one run:
 * - `skipped`: the stored token stays fresh, or another run holds the instance's lease;
 * - `refreshed`: a new token was published;
 * - `failed`: the login or the publish failed; the stored token was left as it was;
 * - `deferred`: due, but not attempted: the run had no time left for it at the paced rate, and the
 *   next run takes it;
 * - `pending`: its credentials secret has no value yet (`put-credentials`): skipped without
 *   failing the run.
 */
export const REFRESH_OUTCOMES = ['skipped', 'refreshed', 'failed', 'deferred', 'pending'] as const;

/** One of {@link REFRESH_OUTCOMES}. */
export type RefreshOutcome = (typeof REFRESH_OUTCOMES)[number];

/** What happened to one instance in one run. */
export interface InstanceResult {
  readonly name: string;
  readonly outcome: RefreshOutcome;
  /** The stored token's expiry after the run (absent when there is none). */
  readonly expiresAt?: string;
  /** Why it was skipped or why it failed; never contains a secret. */
  readonly reason?: string;
}

/** Metric names and dimensions the refresher emits (Embedded Metric Format). */
export const RefresherMetrics = {
  namespace: 'TokenBroker',
  /** The start of every broker's service name ({@link refresherServiceName}). */
  serviceName: 'token-broker',
  /**
   * Powertools adds this dimension to every metric, with the service name as its value: the
   * broker's own, {@link refresherServiceName}.
   */
  serviceDimension: 'service',
  /** Per-instance dimension. */
  instanceDimension: 'Instance',
  /** Count, per instance, of successful logins that were published. */
  refreshSucceeded: 'RefreshSucceeded',
  /** Count, per instance, of failed refreshes. */
  refreshFailed: 'RefreshFailed',
  /** Milliseconds, per instance, that a login took. */
  loginLatency: 'LoginLatency',
  /** Seconds, per instance, until the stored token expires, at the end of every run. */
  secondsToExpiry: 'SecondsToExpiry',
  /** Count, per instance, of runs that deferred it for lack of time at the paced rate. */
  refreshDeferred: 'RefreshDeferred',
  /** Count, per instance, of runs that found its credentials secret without a value. */
  credentialsPending: 'CredentialsPending',
  /** Count, once per run with no failed instance (service dimension only). */
  cycleSucceeded: 'CycleSucceeded',
} as const;

/**
 * The refresher's Powertools service name for a broker: `token-broker` and its parameter prefix
 * (`token-broker/tb/dev`). Every metric carries it as its `service` dimension, so the dashboard and
 * the alarms of one stack see only that stack's refresher, not another one in the same account
 * and region.
 *
 * @example
 * refresherServiceName('/tb/dev'); // => 'token-broker/tb/dev'
 */
export function refresherServiceName(parameterPrefix: string): string {
  return `${RefresherMetrics.serviceName}${parameterPrefix}`;
}
