import { RefresherMetrics } from '../../lambdas/refresher/contract.ts';

/** What the dashboard shows. */
export interface DashboardInput {
  readonly region: string;
  readonly functionName: string;
  readonly queueName: string;
  readonly instanceNames: readonly string[];
  /** The period of the per-instance graphs: the schedule interval. */
  readonly periodSeconds: number;
  /** Drawn as a line on the seconds-to-expiry graph. */
  readonly expiryAlarmSeconds: number;
}

type MetricLine = (string | Record<string, string | number>)[];

function instanceMetric(
  metric: string,
  instance: string,
  stat: string,
  period: number,
): MetricLine {
  return [
    RefresherMetrics.namespace,
    metric,
    RefresherMetrics.serviceDimension,
    RefresherMetrics.serviceName,
    RefresherMetrics.instanceDimension,
    instance,
    { stat, period, label: `${instance} ${metric}` },
  ];
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
 * refresh outcomes, login latency, and the refresher's invocations, errors and dead letters.
 *
 * @example
 * dashboardBody({ region: 'eu-west-1', functionName, queueName, instanceNames: ['idp'], periodSeconds: 300, expiryAlarmSeconds: 300 });
 */
export function dashboardBody(input: DashboardInput): string {
  const { region, instanceNames, periodSeconds: period } = input;
  const perInstance = (metric: string, stat: string) =>
    instanceNames.map((instance) => instanceMetric(metric, instance, stat, period));
  return JSON.stringify({
    widgets: [
      graph(
        'Seconds to token expiry',
        region,
        perInstance(RefresherMetrics.secondsToExpiry, 'Minimum'),
        {
          annotations: {
            horizontal: [{ label: 'alarm threshold', value: input.expiryAlarmSeconds }],
          },
          yAxis: { left: { min: 0 } },
        },
      ),
      graph('Refresh outcomes', region, [
        ...perInstance(RefresherMetrics.refreshSucceeded, 'Sum'),
        ...perInstance(RefresherMetrics.refreshFailed, 'Sum'),
        [
          RefresherMetrics.namespace,
          RefresherMetrics.cycleSucceeded,
          RefresherMetrics.serviceDimension,
          RefresherMetrics.serviceName,
          { stat: 'Sum', period, label: 'runs without a failure' },
        ],
      ]),
      graph('Login latency (ms)', region, perInstance(RefresherMetrics.loginLatency, 'Average')),
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
