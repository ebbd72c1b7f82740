import { RefresherMetrics } from '../../lambdas/refresher/contract.ts';
import { type Aggregate, brokerMetricsQuery } from './brokerMetricsQuery.ts';

/**
 * The most instances the dashboard draws one line each. A graph takes at most 500 metrics and
 * the outcomes and backlog graphs draw two per instance, so larger fleets are drawn with Metrics
 * Insights queries instead ({@link fleetSeries}).
 */
export const DASHBOARD_INSTANCE_LINES = 100;

/** How many instances a fleet graph singles out: lowest expiry, most failures, slowest logins. */
export const DASHBOARD_TOP_INSTANCES = 25;

/** One entry of a dashboard graph's `metrics` array: a metric with its options, or a query. */
export type MetricLine = (string | Record<string, string | number>)[];

/** The per-instance graphs of the dashboard: titles and lines. */
export interface InstanceSeries {
  readonly expiry: { readonly title: string; readonly lines: MetricLine[] };
  readonly outcomes: { readonly title: string; readonly lines: MetricLine[] };
  readonly latency: { readonly title: string; readonly lines: MetricLine[] };
  /** Instances a run deferred (no time left at the paced rate) or found without credentials. */
  readonly backlog: { readonly title: string; readonly lines: MetricLine[] };
}

/**
 * One line per instance and metric: readable for small fleets, and the only form that names a
 * stack's own instances exactly.
 *
 * @example
 * perInstanceSeries('token-broker/tb/dev', ['idp', 'cw'], 300).expiry.lines.length; // => 2
 */
export function perInstanceSeries(
  service: string,
  instanceNames: readonly string[],
  period: number,
): InstanceSeries {
  const lines = (metric: string, stat: string) =>
    instanceNames.map(
      (instance): MetricLine => [
        RefresherMetrics.namespace,
        metric,
        RefresherMetrics.serviceDimension,
        service,
        RefresherMetrics.instanceDimension,
        instance,
        { stat, period, label: `${instance} ${metric}` },
      ],
    );
  return {
    expiry: {
      title: 'Seconds to token expiry',
      lines: lines(RefresherMetrics.secondsToExpiry, 'Minimum'),
    },
    outcomes: {
      title: 'Refresh outcomes',
      lines: [
        ...lines(RefresherMetrics.refreshSucceeded, 'Sum'),
        ...lines(RefresherMetrics.refreshFailed, 'Sum'),
      ],
    },
    latency: {
      title: 'Login latency (ms)',
      lines: lines(RefresherMetrics.loginLatency, 'Average'),
    },
    backlog: {
      title: 'Deferred and pending',
      lines: [
        ...lines(RefresherMetrics.refreshDeferred, 'Sum'),
        ...lines(RefresherMetrics.credentialsPending, 'Sum'),
      ],
    },
  };
}

/**
 * A fixed number of lines whatever the fleet's size, from CloudWatch Metrics Insights queries
 * (which read up to 10,000 metrics, of the last three hours): fleet totals, and the
 * {@link DASHBOARD_TOP_INSTANCES} instances with the lowest seconds to expiry, the most failed
 * refreshes, the slowest logins and the most deferrals, each labelled with its instance name. The
 * queries ({@link brokerMetricsQuery}) select the stack's own `service`.
 *
 * @example
 * fleetSeries('token-broker/tb/dev', 300).expiry.title; // => 'Seconds to token expiry (lowest 25 instances)'
 */
export function fleetSeries(service: string, period: number): InstanceSeries {
  const scope = { service, period };
  const top = DASHBOARD_TOP_INSTANCES;
  const {
    secondsToExpiry,
    refreshSucceeded,
    refreshFailed,
    loginLatency,
    refreshDeferred,
    credentialsPending,
  } = RefresherMetrics;
  return {
    expiry: {
      title: `Seconds to token expiry (lowest ${top} instances)`,
      lines: [topInstances('expiry', 'MIN', secondsToExpiry, scope, 'ASC')],
    },
    outcomes: {
      title: `Refresh outcomes (all instances; most failed ${top})`,
      lines: [
        fleetTotal('succeeded', 'SUM', refreshSucceeded, scope, 'refreshed (all instances)'),
        fleetTotal('failed', 'SUM', refreshFailed, scope, 'failed (all instances)'),
        topInstances('mostFailed', 'SUM', refreshFailed, scope, 'DESC'),
      ],
    },
    latency: {
      title: `Login latency (ms) (all instances; slowest ${top})`,
      lines: [
        fleetTotal('latency', 'AVG', loginLatency, scope, 'average (all instances)'),
        topInstances('slowest', 'MAX', loginLatency, scope, 'DESC'),
      ],
    },
    backlog: {
      title: `Deferred and pending (all instances; most deferred ${top})`,
      lines: [
        fleetTotal('deferred', 'SUM', refreshDeferred, scope, 'deferred (all instances)'),
        fleetTotal('pending', 'SUM', credentialsPending, scope, 'pending (all instances)'),
        topInstances('mostDeferred', 'SUM', refreshDeferred, scope, 'DESC'),
      ],
    },
  };
}

/** The stack's service name and the graphs' period. */
interface Scope {
  readonly service: string;
  readonly period: number;
}

/** One fleet-wide series. */
function fleetTotal(
  id: string,
  aggregate: Aggregate,
  metric: string,
  { service, period }: Scope,
  label: string,
): MetricLine {
  return [{ expression: brokerMetricsQuery({ service, aggregate, metric }), id, period, label }];
}

/** One series per instance, the first {@link DASHBOARD_TOP_INSTANCES} in `order`, named by instance. */
function topInstances(
  id: string,
  aggregate: Aggregate,
  metric: string,
  { service, period }: Scope,
  order: 'ASC' | 'DESC',
): MetricLine {
  const perInstance = { order, limit: DASHBOARD_TOP_INSTANCES };
  const expression = brokerMetricsQuery({ service, aggregate, metric, perInstance });
  return [{ expression, id, period }];
}
