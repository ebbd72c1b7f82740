import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { scheduleExpression } from '../settings/scheduleRate.ts';
import { assumeRolePolicy, schedulerPolicy } from './policies.ts';

/** Arguments of a {@link RefreshSchedule}. */
export interface RefreshScheduleArgs {
  readonly scheduleSeconds: number;
  readonly function: aws.lambda.Function;
  /** Receives the invocations the scheduler could not deliver after its retries. */
  readonly deadLetterQueue: aws.sqs.Queue;
  /** The account the scheduler may act for (trust policy condition). */
  readonly accountId: pulumi.Input<string>;
}

/** Scheduler delivery attempts after the first, within one schedule interval. */
const DELIVERY_RETRIES = 3;

/**
 * The EventBridge Scheduler schedule that runs the refresher, with its own role (separate from the
 * function's), a retry policy bounded by one interval, and the dead-letter queue.
 *
 * @example
 * new RefreshSchedule('tb-schedule', { scheduleSeconds: 300, function: fn, deadLetterQueue, accountId });
 */
export class RefreshSchedule extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly policy: aws.iam.RolePolicy;
  public readonly schedule: aws.scheduler.Schedule;

  public constructor(
    name: string,
    args: RefreshScheduleArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('token-broker:index:RefreshSchedule', name, {}, opts);

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: 'token-broker schedule: invokes the refresher',
        assumeRolePolicy: pulumi
          .output(args.accountId)
          .apply((accountId) =>
            JSON.stringify(assumeRolePolicy('scheduler.amazonaws.com', accountId)),
          ),
      },
      { parent: this },
    );

    this.policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.name,
        policy: pulumi
          .all([args.function.arn, args.deadLetterQueue.arn])
          .apply(([functionArn, dlqArn]) => JSON.stringify(schedulerPolicy(functionArn, dlqArn))),
      },
      { parent: this },
    );

    this.schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        description: 'Runs the token-broker refresher',
        scheduleExpression: scheduleExpression(args.scheduleSeconds),
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: args.function.arn,
          roleArn: this.role.arn,
          input: '{}',
          retryPolicy: {
            maximumRetryAttempts: DELIVERY_RETRIES,
            maximumEventAgeInSeconds: Math.max(60, args.scheduleSeconds),
          },
          deadLetterConfig: { arn: args.deadLetterQueue.arn },
        },
      },
      { parent: this, dependsOn: [this.policy] },
    );

    this.registerOutputs({ scheduleName: this.schedule.name });
  }
}
