import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { RefresherMetrics } from '../../lambdas/refresher/contract.ts';
import { brokerMetricsQuery } from './brokerMetricsQuery.ts';

/**
 * The most series a Metrics Insights alarm evaluates in full: with more, CloudWatch marks its
 * evaluation PARTIAL_DATA. The expiry alarm takes the instances with the least time left.
 */
export const ALARM_MAX_SERIES = 500;

/**
 * The longest period of the expiry alarm. A Metrics Insights alarm evaluates only the latest three
 * hours of data; with a longer schedule the periods between runs are missing data, which keeps each
 * instance's state until its next run reports.
 */
export const EXPIRY_ALARM_MAX_PERIOD_SECONDS = 3600;

/** Arguments of {@link BrokerAlarms}. */
export interface BrokerAlarmsArgs {
  /** The stack's refresher service name (`refresherServiceName(prefix)`), its metrics' `service`. */
  readonly service: string;
  readonly function: aws.lambda.Function;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly scheduleSeconds: number;
  /** Alarm when a token has fewer seconds than this left after a run. */
  readonly expiryAlarmSeconds: number;
  /** Subscribed to an SNS topic that receives every alarm. Default: no topic, alarms without actions. */
  readonly alarmEmail?: string;
}

/**
 * The broker's alarms: a failed refresh run, a message in the dead-letter queue, a token close to
 * expiry, and no successful run in two intervals; optionally an SNS topic with an email
 * subscription that receives them all. The expiry alarm is one Metrics Insights alarm for the whole
 * fleet, grouped by instance: CloudWatch evaluates each instance's series as a contributor with its
 * own state, and an instance added later is covered without a deploy.
 *
 * @example
 * new BrokerAlarms('tb-alarms', { service: refresherServiceName('/tb/dev'), function: fn, deadLetterQueue, scheduleSeconds: 300, expiryAlarmSeconds: 300 });
 */
export class BrokerAlarms extends pulumi.ComponentResource {
  /** The SNS topic, when an alarm email is configured. */
  public readonly topic: aws.sns.Topic | undefined;
  public readonly refreshFailed: aws.cloudwatch.MetricAlarm;
  public readonly deadLetters: aws.cloudwatch.MetricAlarm;
  /** Every instance's seconds to expiry, each instance a contributor. */
  public readonly expiry: aws.cloudwatch.MetricAlarm;
  public readonly noSuccess: aws.cloudwatch.MetricAlarm;

  public constructor(name: string, args: BrokerAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('token-broker:index:BrokerAlarms', name, {}, opts);
    const period = args.scheduleSeconds;

    if (args.alarmEmail !== undefined) {
      this.topic = new aws.sns.Topic(`${name}-topic`, {}, { parent: this });
      new aws.sns.TopicSubscription(
        `${name}-email`,
        { topic: this.topic.arn, protocol: 'email', endpoint: args.alarmEmail },
        { parent: this },
      );
    } else {
      this.topic = undefined;
    }
    // Every alarm judges one period and notifies the topic, when there is one, on alarm and on OK.
    const actions =
      this.topic === undefined
        ? {}
        : { alarmActions: [this.topic.arn], okActions: [this.topic.arn] };
    const alarm = (
      suffix: string,
      alarmArgs: Omit<aws.cloudwatch.MetricAlarmArgs, 'evaluationPeriods'>,
    ) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${suffix}`,
        { ...alarmArgs, evaluationPeriods: 1, ...actions },
        { parent: this },
      );

    this.refreshFailed = alarm('refresh-failed', {
      alarmDescription:
        'A token-broker refresher run failed: at least one instance could not be refreshed (its name and the provider error are in the run summary in the refresher logs).',
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: args.function.name },
      statistic: 'Sum',
      period: 60,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    });

    this.deadLetters = alarm('dead-letters', {
      alarmDescription:
        'A token-broker refresher invocation could not be delivered or failed: see the dead-letter queue.',
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: args.deadLetterQueue.name },
      statistic: 'Maximum',
      period: 300,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    });

    this.expiry = alarm('expiry', {
      alarmDescription: `A token-broker token has less than ${args.expiryAlarmSeconds} s left after a refresher run: the alarm's contributors name the instances.`,
      metricQueries: [
        {
          id: 'expiry',
          expression: brokerMetricsQuery({
            service: args.service,
            aggregate: 'MIN',
            metric: RefresherMetrics.secondsToExpiry,
            perInstance: { order: 'ASC', limit: ALARM_MAX_SERIES },
          }),
          period: Math.min(period, EXPIRY_ALARM_MAX_PERIOD_SECONDS),
          returnData: true,
        },
      ],
      threshold: args.expiryAlarmSeconds,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'missing',
    });

    this.noSuccess = alarm('no-success', {
      alarmDescription:
        'No token-broker refresher run succeeded for every instance within two schedule intervals.',
      namespace: RefresherMetrics.namespace,
      metricName: RefresherMetrics.cycleSucceeded,
      dimensions: { [RefresherMetrics.serviceDimension]: args.service },
      statistic: 'Sum',
      period: 2 * period,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'breaching',
    });

    this.registerOutputs({ topicArn: this.topic?.arn });
  }
}
