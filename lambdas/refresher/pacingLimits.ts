import type { BrokerConfig } from '../config/index.ts';
import type { RateLimit } from './TokenBucket.ts';

/**
 * How fast the refresher calls each paced API, per process. Each sits below the account's quota,
 * which every downstream reader and every other tool of the account and region shares.
 */
export interface PacingLimits {
  /** SSM `PutParameter`; the quota is about 3/s (standard throughput) or 10/s (higher). */
  readonly putParameter: RateLimit;
  /**
   * SSM `GetParameter`, `GetParameters` and `GetParametersByPath` together; the quota is 40/s
   * (standard) or 3,000/s (higher), shared with every reader of a token.
   */
  readonly getParameters: RateLimit;
  /** Secrets Manager `GetSecretValue`; the quota is 10,000/s. */
  readonly getSecretValue: RateLimit;
  /** Secrets Manager `PutSecretValue`; the quota is 50/s. */
  readonly putSecretValue: RateLimit;
}

const rate = (ratePerSecond: number): RateLimit => ({ ratePerSecond, burst: ratePerSecond });

const secretsManager = { getSecretValue: rate(50), putSecretValue: rate(5) } as const;

/**
 * The refresher's limits for each Parameter Store throughput setting (`ssmThroughput` in the
 * configuration). `standard` leaves a third of the PutParameter quota and three quarters of the
 * read quota to everyone else; `higher` asks for 8 PutParameter/s and 100 reads/s.
 *
 * @example
 * pacingLimits.standard.putParameter; // => { ratePerSecond: 2, burst: 2 }
 */
export const pacingLimits = {
  standard: { putParameter: rate(2), getParameters: rate(10), ...secretsManager },
  higher: { putParameter: rate(8), getParameters: rate(100), ...secretsManager },
} as const satisfies Record<BrokerConfig['ssmThroughput'], PacingLimits>;

/**
 * The pacing limits that suit a broker's configuration: its `ssmThroughput` setting.
 *
 * @example
 * createRefresherClients({ pacing: pacingLimitsFor(config) });
 */
export function pacingLimitsFor(config: Pick<BrokerConfig, 'ssmThroughput'>): PacingLimits {
  return pacingLimits[config.ssmThroughput];
}
