import { RefresherMetrics } from '../../lambdas/refresher/contract.ts';

/** The Metrics Insights aggregate functions the broker's queries use. */
export type Aggregate = 'MIN' | 'MAX' | 'SUM' | 'AVG';

/** A Metrics Insights query over one of the refresher's per-instance metrics. */
export interface BrokerMetricQuery {
  /** The stack's refresher service name (`refresherServiceName(prefix)`): only its metrics count. */
  readonly service: string;
  readonly aggregate: Aggregate;
  /** One of the per-instance metric names of `RefresherMetrics`. */
  readonly metric: string;
  /**
   * One series per instance (`GROUP BY Instance`), the first `limit` by the aggregate in `order`.
   * Default: one series for the whole fleet.
   */
  readonly perInstance?: { readonly order: 'ASC' | 'DESC'; readonly limit: number };
}

/**
 * The text of a CloudWatch Metrics Insights query over the refresher's metrics, which carry the
 * dimensions `service` and `Instance`: what the dashboard's fleet graphs and the fleet expiry alarm
 * both run. It selects the stack's own service name, so other token-broker stacks of the account
 * and region are left out.
 *
 * @example
 * brokerMetricsQuery({ service: 'token-broker/tb/dev', aggregate: 'MIN', metric: 'SecondsToExpiry', perInstance: { order: 'ASC', limit: 500 } });
 * // => `SELECT MIN("SecondsToExpiry") FROM SCHEMA("TokenBroker", "Instance", "service") WHERE "service" = 'token-broker/tb/dev' GROUP BY "Instance" ORDER BY MIN() ASC LIMIT 500`
 */
export function brokerMetricsQuery(query: BrokerMetricQuery): string {
  const { namespace, instanceDimension, serviceDimension } = RefresherMetrics;
  // A prefix holds only letters, digits, "_", ".", "-" and "/": nothing to escape in a string.
  const select = `SELECT ${query.aggregate}("${query.metric}") FROM SCHEMA("${namespace}", "${instanceDimension}", "${serviceDimension}") WHERE "${serviceDimension}" = '${query.service}'`;
  if (query.perInstance === undefined) return select;
  const { order, limit } = query.perInstance;
  return `${select} GROUP BY "${instanceDimension}" ORDER BY ${query.aggregate}() ${order} LIMIT ${limit}`;
}
