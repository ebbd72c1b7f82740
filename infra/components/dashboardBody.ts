import { RefresherMetrics } from '../../lambdas/refresher/contract.ts';
import {
  DASHBOARD_INSTANCE_LINES,
  fleetSeries,
  type MetricLine,
  perInstanceSeries,
} from './instanceSeries.ts';

/** What the dashboard shows. */
export interface DashboardInput {
  readonly region: string;
  /** The stack's refresher service name (`refresherServiceName(prefix)`), its metrics' `service`. */
  readonly service: string;
  readonly functionName: string;
  readonly queueName: string;
  readonly instanceNames: readonly string[];
  /** The period of the per-instance graphs: the schedule interval. */
  readonly periodSeconds: number;
  /** Drawn as a line on the seconds-to-expiry graph. */
  readonly expiryAlarmSeconds: number;
}

function graph(title: string, region: string, metrics: MetricLine[], extra: object = {}) {
  return {
    type: 'metric',
    width: 12,
    height: 6,
    properties: { title, region, view: 'timeSeries', stacked: false, metrics, ...extra },
  };
}

/**
 * The CloudWatch dashboard body: seconds to expiry per instance (with the alarm threshold),
 * refresh outcomes, login latency, deferred and pending instances, and the refresher's
 * invocations, errors and dead letters.
 * Up to {@link DASHBOARD_INSTANCE_LINES} instances get a line each; a larger fleet gets fleet
 * totals and its worst instances from Metrics Insights queries, so the body and every graph stay
 * within CloudWatch's limits (500 metrics a graph, 1 MB a body) for any number of instances.
 *
 * @example
 * dashboardBody({ region: 'eu-west-1', functionName, queueName, instanceNames: ['idp'], periodSeconds: 300, expiryAlarmSeconds: 300 });
 */
export function dashboardBody(input: DashboardInput): string {
  const { region, service, instanceNames, periodSeconds: period } = input;
  const series =
    instanceNames.length <= DASHBOARD_INSTANCE_LINES
      ? perInstanceSeries(service, instanceNames, period)
      : fleetSeries(service, period);
  return JSON.stringify({
    widgets: [
      graph(series.expiry.title, region, series.expiry.lines, {
        annotations: {
          horizontal: [{ label: 'alarm threshold', value: input.expiryAlarmSeconds }],
        },
        yAxis: { left: { min: 0 } },
      }),
      graph(series.outcomes.title, region, [
        ...series.outcomes.lines,
        [
          RefresherMetrics.namespace,
          RefresherMetrics.cycleSucceeded,
          RefresherMetrics.serviceDimension,
          service,
          { stat: 'Sum', period, label: 'runs without a failure' },
        ],
      ]),
      graph(series.latency.title, region, series.latency.lines),
      graph(series.backlog.title, region, series.backlog.lines),
      graph('Refresher', region, [
        ['AWS/Lambda', 'Invocations', 'FunctionName', input.functionName, { stat: 'Sum' }],
        ['AWS/Lambda', 'Errors', 'FunctionName', input.functionName, { stat: 'Sum' }],
        ['AWS/Lambda', 'Throttles', 'FunctionName', input.functionName, { stat: 'Sum' }],
        [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          'QueueName',
          input.queueName,
          { stat: 'Maximum', label: 'dead letters' },
        ],
      ]),
    ],
  });
}
