import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { RefresherMetrics } from '../../lambdas/refresher/contract.ts';

/** Arguments of {@link BrokerAlarms}. */
export interface BrokerAlarmsArgs {
  readonly function: aws.lambda.Function;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly instanceNames: readonly string[];
  readonly scheduleSeconds: number;
  /** Alarm when a token has fewer seconds than this left after a run. */
  readonly expiryAlarmSeconds: number;
  /** Subscribed to an SNS topic that receives every alarm. Default: no topic, alarms without actions. */
  readonly alarmEmail?: string;
}

/**
 * The broker's alarms: a failed refresh run, a message in the dead-letter queue, a token close to
 * expiry (one alarm per instance), and no successful run in two intervals; optionally an SNS topic
 * with an email subscription that receives them all.
 *
 * @example
 * new BrokerAlarms('tb-alarms', { function: fn, deadLetterQueue, instanceNames: ['idp'], scheduleSeconds: 300, expiryAlarmSeconds: 300 });
 */
export class BrokerAlarms extends pulumi.ComponentResource {
  /** The SNS topic, when an alarm email is configured. */
  public readonly topic: aws.sns.Topic | undefined;
  public readonly refreshFailed: aws.cloudwatch.MetricAlarm;
  public readonly deadLetters: aws.cloudwatch.MetricAlarm;
  /** One per instance, keyed by instance name. */
  public readonly expiry: Readonly<Record<string, aws.cloudwatch.MetricAlarm>>;
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

    this.expiry = Object.fromEntries(
      args.instanceNames.map((instance) => [
        instance,
        alarm(`expiry-${instance}`, {
          alarmDescription: `The token of ${instance} has less than ${args.expiryAlarmSeconds} s left after a refresher run.`,
          namespace: RefresherMetrics.namespace,
          metricName: RefresherMetrics.secondsToExpiry,
          dimensions: {
            [RefresherMetrics.serviceDimension]: RefresherMetrics.serviceName,
            [RefresherMetrics.instanceDimension]: instance,
          },
          statistic: 'Minimum',
          period,
          threshold: args.expiryAlarmSeconds,
          comparisonOperator: 'LessThanThreshold',
          treatMissingData: 'missing',
        }),
      ]),
    );

    this.noSuccess = alarm('no-success', {
      alarmDescription:
        'No token-broker refresher run succeeded for every instance within two schedule intervals.',
      namespace: RefresherMetrics.namespace,
      metricName: RefresherMetrics.cycleSucceeded,
      dimensions: { [RefresherMetrics.serviceDimension]: RefresherMetrics.serviceName },
      statistic: 'Sum',
      period: 2 * period,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'breaching',
    });

    this.registerOutputs({ topicArn: this.topic?.arn });
  }
}
