import type { BrokerConfig, BrokerConfigInput, Credentials } from '../../lambdas/config/index.ts';

/**
 * What a team configures: the stack config keys of `token-broker:*` and the arguments of
 * `TokenBroker`, by the same names. Only `parameterPrefix` and `instances` are required.
 */
export interface BrokerSettingsInput {
  /** SSM path under which the token parameters live, such as `/token-broker/dev`. */
  readonly parameterPrefix: BrokerConfigInput['parameterPrefix'];
  /** The provider instances (README, "Configuration"). */
  readonly instances: BrokerConfigInput['instances'];
  /**
   * Name of the DynamoDB table the stack creates for the login leases and refresh records.
   * Default: derived from the prefix (`/token-broker/dev` → `token-broker-dev-state`).
   */
  readonly stateTable?: BrokerConfigInput['stateTable'];
  /**
   * The account's Parameter Store throughput setting, `standard` or `higher`: how fast the
   * refresher may call SSM. Default: `standard`.
   */
  readonly ssmThroughput?: BrokerConfigInput['ssmThroughput'];
  /**
   * Credentials keyed by instance name, validated against each type's schema. Instances left out
   * get an empty secret, filled later with `token-broker put-credentials NAME`. Default: none.
   */
  readonly credentials?: Readonly<Record<string, unknown>>;
  /** How often the refresher runs, such as `5 minutes` or `1 hour`. Default: a third of the shortest planned token lifetime. */
  readonly scheduleRate?: string;
  /** ARN of a customer-managed KMS key for the secrets and token parameters. Default: the AWS managed keys. */
  readonly kmsKeyArn?: string;
  /** Email address subscribed to an SNS topic that receives every alarm. Default: no topic. */
  readonly alarmEmail?: string;
  /** Days the refresher's logs are kept. Default: 30. */
  readonly logRetentionDays?: number;
  /** Refresher memory in MB. Default: sized for the instance count. */
  readonly refresherMemoryMb?: number;
  /** Refresher timeout in seconds. Default: sized for the instance count. */
  readonly refresherTimeoutSeconds?: number;
  /** Reserved concurrency of the refresher; `-1` reserves none. Default: 2. */
  readonly reservedConcurrency?: number;
  /** Alarm when a token has fewer seconds than this left after a run. Default: the schedule interval. */
  readonly expiryAlarmSeconds?: number;
  /** Days a deleted credentials secret can be restored (0, or 7 to 30). Default: 7. */
  readonly secretRecoveryDays?: number;
  /** Deploy the example consumer Lambda that reads a token with `token-broker/reader`. Default: false. */
  readonly exampleConsumer?: boolean;
  /**
   * Organization or organizational-unit ARNs whose accounts may read every instance's token, in
   * addition to each instance's `readerAccounts`. Default: none.
   */
  readonly readerOrganizations?: readonly string[];
  /**
   * Let each instance's `readerAccounts` invoke the refresher (the reader's refresh after a 401):
   * a Lambda resource policy statement per account. Default: false.
   */
  readonly allowCrossAccountRefresh?: boolean;
}

/** Validated settings with every default applied. */
export interface BrokerSettings {
  /** The broker configuration document, as the refresher reads it. */
  readonly config: BrokerConfig;
  /** Validated credentials keyed by instance name (plain values: mark them secret before use). */
  readonly credentials: Readonly<Record<string, Credentials>>;
  readonly scheduleSeconds: number;
  readonly kmsKeyArn: string | undefined;
  readonly alarmEmail: string | undefined;
  readonly logRetentionDays: number;
  readonly refresherMemoryMb: number;
  readonly refresherTimeoutSeconds: number;
  /** `-1` when no concurrency is reserved. */
  readonly reservedConcurrency: number;
  readonly expiryAlarmSeconds: number;
  readonly secretRecoveryDays: number;
  readonly exampleConsumer: boolean;
  /** The reader accounts allowed to invoke the refresher (empty unless `allowCrossAccountRefresh`). */
  readonly crossAccountRefreshAccounts: readonly string[];
}
