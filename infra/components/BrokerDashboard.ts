import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { refresherServiceName } from '../../lambdas/refresher/contract.ts';
import { dashboardBody } from './dashboardBody.ts';
import { formerParentAlias } from './formerParentAlias.ts';

/** Arguments of a {@link BrokerDashboard}. */
export interface BrokerDashboardArgs {
  /** The stack's parameter prefix: it names the dashboard and selects its metrics' `service`. */
  readonly parameterPrefix: string;
  /** The region the broker is deployed in, which the dashboard's name ends with. */
  readonly region: pulumi.Input<string>;
  readonly function: aws.lambda.Function;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly instanceNames: readonly string[];
  readonly scheduleSeconds: number;
  /** Drawn as the threshold line on the seconds-to-expiry graph. */
  readonly expiryAlarmSeconds: number;
}

/**
 * The broker's CloudWatch dashboard (`dashboardBody`), named `{prefix as a slug}-{region}`, such as
 * `tb-dev-eu-west-1` for `/tb/dev`. The dashboard keeps the URN it had when its parent created it.
 *
 * @example
 * new BrokerDashboard('tb-dashboard', { parameterPrefix: '/tb/dev', region, function: fn, deadLetterQueue, instanceNames: ['idp'], scheduleSeconds: 300, expiryAlarmSeconds: 300 });
 */
export class BrokerDashboard extends pulumi.ComponentResource {
  public readonly dashboard: aws.cloudwatch.Dashboard;

  public constructor(
    name: string,
    args: BrokerDashboardArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('token-broker:index:BrokerDashboard', name, {}, opts);
    const { parameterPrefix } = args;
    this.dashboard = new aws.cloudwatch.Dashboard(
      name,
      {
        dashboardName: pulumi.interpolate`${dashboardSlug(parameterPrefix)}-${args.region}`,
        dashboardBody: pulumi
          .all([args.region, args.function.name, args.deadLetterQueue.name])
          .apply(([region, functionName, queueName]) =>
            dashboardBody({
              region,
              service: refresherServiceName(parameterPrefix),
              functionName,
              queueName,
              instanceNames: args.instanceNames,
              periodSeconds: args.scheduleSeconds,
              expiryAlarmSeconds: args.expiryAlarmSeconds,
            }),
          ),
      },
      { parent: this, aliases: [formerParentAlias(opts)] },
    );
    this.registerOutputs({ dashboardName: this.dashboard.dashboardName });
  }
}

/** A dashboard-name-safe form of the parameter prefix: `/token-broker/dev` → `token-broker-dev`. */
function dashboardSlug(parameterPrefix: string): string {
  return parameterPrefix.slice(1).replace(/[^A-Za-z0-9_-]/g, '-');
}
