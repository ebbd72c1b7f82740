import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ProviderTypes } from '../../lambdas/config/index.ts';
import type { BrokerSettings } from '../settings/BrokerSettings.ts';
import { refresherDeployment } from '../settings/refresherDeployment.ts';
import type { AwsLocation } from './arns.ts';
import { BUNDLE_HANDLER, lambdaArchive } from './bundleLambda.ts';
import { packageFile } from './packageRoot.ts';
import { assumeRolePolicy, refresherPolicy } from './policies.ts';
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
 * The refresher Lambda: the esbuild bundle of its handler (Node.js 24, arm64), its own role with
 * the only policy it needs, a log group with retention, and its asynchronous-invocation settings.
 * The configuration document reaches it inline in its environment when it fits, else as
 * `config.json` in its deployment archive (see `refresherDeployment`).
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
    const { settings, instances, deadLetterQueue, stateTable, location } = args;

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: 'token-broker refresher: reads its credentials, publishes its tokens',
        assumeRolePolicy: JSON.stringify(assumeRolePolicy('lambda.amazonaws.com')),
      },
      { parent: this },
    );

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { retentionInDays: settings.logRetentionDays },
      { parent: this },
    );

    const ownSecrets = instances.filter((instance) => instance.secret !== undefined);
    const existingSecrets = instances.filter((instance) => instance.secret === undefined);
    const rotatingSecrets = instances.filter(
      (instance) => instance.providerType === ProviderTypes.oauth2RefreshToken,
    );
    this.policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.name,
        policy: pulumi
          .all([
            pulumi.all(instances.map((instance) => instance.parameterArn)),
            stateTable.arn,
            pulumi.all([
              pulumi.all(ownSecrets.map((instance) => instance.secretArn)),
              pulumi.all(existingSecrets.map((instance) => instance.secretArn)),
              pulumi.all(rotatingSecrets.map((instance) => instance.secretArn)),
            ]),
            this.logGroup.arn,
            deadLetterQueue.arn,
            location,
            args.sharedTokenKeyArn,
          ])
          .apply(
            ([
              tokens,
              tableArn,
              [ownSecretArns, existingSecretArns, rotatingSecretArns],
              logGroupArn,
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
                  logGroupArn,
                  deadLetterQueueArn: dlqArn,
                }),
              ),
          ),
      },
      { parent: this },
    );

    // The configuration goes inline in the environment when it fits, else into the archive.
    const deployment = refresherDeployment({
      config: settings.config,
      scheduleSeconds: settings.scheduleSeconds,
      kmsKeyArn: settings.kmsKeyArn,
    });
    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        description: `token-broker refresher for ${settings.config.parameterPrefix}`,
        runtime: aws.lambda.Runtime.NodeJS24dX,
        architectures: ['arm64'],
        handler: BUNDLE_HANDLER,
        code: lambdaArchive(packageFile('lambdas/refresher/handler.ts'), deployment.files),
        role: this.role.arn,
        memorySize: settings.refresherMemoryMb,
        timeout: settings.refresherTimeoutSeconds,
        reservedConcurrentExecutions:
          settings.reservedConcurrency === -1 ? undefined : settings.reservedConcurrency,
        environment: { variables: deployment.variables },
        loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
      },
      { parent: this, dependsOn: [this.policy] },
    );

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
