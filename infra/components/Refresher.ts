import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ProviderTypes } from '../../lambdas/config/index.ts';
import type { BrokerSettings } from '../settings/BrokerSettings.ts';
import { refresherDeployment } from '../settings/refresherDeployment.ts';
import type { AwsLocation } from './arns.ts';
import { BundledFunction } from './BundledFunction.ts';
import { packageFile } from './packageRoot.ts';
import { refresherPolicy } from './policies.ts';
import type { TokenInstance } from './TokenInstance.ts';

/** Arguments of a {@link Refresher}. */
export interface RefresherArgs {
  readonly settings: BrokerSettings;
  readonly instances: readonly TokenInstance[];
  /** Receives asynchronous invocations that failed. */
  readonly deadLetterQueue: aws.sqs.Queue;
  /** The state table: the instances' login leases and refresh records. */
  readonly stateTable: aws.dynamodb.Table;
  /** Where the broker is deployed, for the prefix-scoped ARNs of a large fleet and the key's services. */
  readonly location: pulumi.Output<AwsLocation>;
  /** The key the stack created for its shared tokens, when there is one. Default: none. */
  readonly sharedTokenKeyArn?: pulumi.Output<string>;
}

/**
 * The refresher Lambda: a {@link BundledFunction} of its handler, whose role has the only policy it
 * needs, and its asynchronous-invocation settings. The configuration document reaches it inline in
 * its environment when it fits, else as `config.json` in its deployment archive (see
 * `refresherDeployment`).
 *
 * @example
 * new Refresher('tb-refresher', { settings, instances, deadLetterQueue, stateTable, location });
 */
export class Refresher extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly policy: aws.iam.RolePolicy;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly function: aws.lambda.Function;
  public readonly eventInvokeConfig: aws.lambda.FunctionEventInvokeConfig;

  public constructor(name: string, args: RefresherArgs, opts?: pulumi.ComponentResourceOptions) {
    super('token-broker:index:Refresher', name, {}, opts);
    const { settings, deadLetterQueue } = args;

    // The configuration goes inline in the environment when it fits, else into the archive.
    const deployment = refresherDeployment({
      config: settings.config,
      scheduleSeconds: settings.scheduleSeconds,
      kmsKeyArn: settings.kmsKeyArn,
    });
    const bundled = new BundledFunction(
      name,
      {
        entry: packageFile('lambdas/refresher/handler.ts'),
        files: deployment.files,
        description: `token-broker refresher for ${settings.config.parameterPrefix}`,
        roleDescription: 'token-broker refresher: reads its credentials, publishes its tokens',
        memorySize: settings.refresherMemoryMb,
        timeout: settings.refresherTimeoutSeconds,
        reservedConcurrentExecutions:
          settings.reservedConcurrency === -1 ? undefined : settings.reservedConcurrency,
        variables: deployment.variables,
        logRetentionDays: settings.logRetentionDays,
        policy: { suffix: 'policy', document: (logGroupArn) => policyDocument(args, logGroupArn) },
      },
      { parent: this },
    );
    this.role = bundled.role;
    this.logGroup = bundled.logGroup;
    this.policy = bundled.policy;
    this.function = bundled.function;

    // Errors inside the function: the next scheduled run is the retry (it comes within a third of
    // the shortest token lifetime), and a stale event is dropped once the next run has started.
    this.eventInvokeConfig = new aws.lambda.FunctionEventInvokeConfig(
      `${name}-async`,
      {
        functionName: this.function.name,
        maximumRetryAttempts: 0,
        maximumEventAgeInSeconds: Math.min(21_600, Math.max(60, settings.scheduleSeconds)),
        destinationConfig: { onFailure: { destination: deadLetterQueue.arn } },
      },
      { parent: this, dependsOn: [this.policy] },
    );

    this.registerOutputs({
      functionName: this.function.name,
      functionArn: this.function.arn,
      roleArn: this.role.arn,
      logGroupName: this.logGroup.name,
    });
  }
}

/** The refresher's one policy (`refresherPolicy`), as JSON, with its log group. */
function policyDocument(
  args: RefresherArgs,
  logGroupArn: pulumi.Output<string>,
): pulumi.Output<string> {
  const { settings, instances, deadLetterQueue, stateTable, location } = args;
  const ownSecrets = instances.filter((instance) => instance.secret !== undefined);
  const existingSecrets = instances.filter((instance) => instance.secret === undefined);
  const rotatingSecrets = instances.filter(
    (instance) => instance.providerType === ProviderTypes.oauth2RefreshToken,
  );
  return pulumi
    .all([
      pulumi.all(instances.map((instance) => instance.parameterArn)),
      stateTable.arn,
      pulumi.all([
        pulumi.all(ownSecrets.map((instance) => instance.secretArn)),
        pulumi.all(existingSecrets.map((instance) => instance.secretArn)),
        pulumi.all(rotatingSecrets.map((instance) => instance.secretArn)),
      ]),
      logGroupArn,
      deadLetterQueue.arn,
      location,
      args.sharedTokenKeyArn,
    ])
    .apply(
      ([
        tokens,
        tableArn,
        [ownSecretArns, existingSecretArns, rotatingSecretArns],
        logGroup,
        dlqArn,
        at,
        sharedTokenKeyArn,
      ]) =>
        JSON.stringify(
          refresherPolicy({
            location: at,
            parameterPrefix: settings.config.parameterPrefix,
            tokenParameterArns: tokens,
            stateTableArn: tableArn,
            ownSecretArns,
            existingSecretArns,
            rotatingSecretArns,
            kmsKeyArn: settings.kmsKeyArn,
            sharedTokenKeyArn,
            logGroupArn: logGroup,
            deadLetterQueueArn: dlqArn,
          }),
        ),
    );
}
