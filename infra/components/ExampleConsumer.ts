import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ReaderEnvironment } from '../../lambdas/reader/constants.ts';
import { BUNDLE_HANDLER, lambdaArchive } from './bundleLambda.ts';
import { packageFile } from './packageRoot.ts';
import { assumeRolePolicy, logsPolicy } from './policies.ts';

/** Arguments of an {@link ExampleConsumer}. */
export interface ExampleConsumerArgs {
  readonly parameterPrefix: string;
  /** The instance the example reads when its event names none. */
  readonly defaultInstance: string;
  /** The refresher, which the reader invokes after a 401. */
  readonly refresherFunctionName: pulumi.Input<string>;
  readonly logRetentionDays: number;
}

/**
 * The example downstream Lambda (`infra/examples/consumerHandler.ts`, bundled like the refresher).
 * It gets only log permissions here; `TokenBroker` grants it read and refresh.
 *
 * @example
 * const consumer = new ExampleConsumer('tb-example', { parameterPrefix, defaultInstance: 'idp', refresherFunctionName, logRetentionDays: 30 });
 * broker.grantRead(consumer.role);
 */
export class ExampleConsumer extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly logPolicy: aws.iam.RolePolicy;
  /** The log policy's document, counted with the grants against the role's inline-policy limit. */
  public readonly logPolicyDocument: pulumi.Output<string>;
  public readonly function: aws.lambda.Function;

  public constructor(
    name: string,
    args: ExampleConsumerArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('token-broker:index:ExampleConsumer', name, {}, opts);
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: 'token-broker example consumer',
        assumeRolePolicy: JSON.stringify(assumeRolePolicy('lambda.amazonaws.com')),
      },
      { parent: this },
    );
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    this.logPolicyDocument = this.logGroup.arn.apply((arn) => JSON.stringify(logsPolicy(arn)));
    this.logPolicy = new aws.iam.RolePolicy(
      `${name}-logs`,
      { role: this.role.name, policy: this.logPolicyDocument },
      { parent: this },
    );
    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        description: 'token-broker example consumer: reads a token with token-broker/reader',
        runtime: aws.lambda.Runtime.NodeJS24dX,
        architectures: ['arm64'],
        handler: BUNDLE_HANDLER,
        code: lambdaArchive(packageFile('infra/examples/consumerHandler.ts')),
        role: this.role.arn,
        memorySize: 128,
        timeout: 30,
        environment: {
          variables: {
            [ReaderEnvironment.parameterPrefix]: args.parameterPrefix,
            [ReaderEnvironment.refresherFunction]: args.refresherFunctionName,
            EXAMPLE_INSTANCE: args.defaultInstance,
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
        loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
      },
      { parent: this, dependsOn: [this.logPolicy] },
    );
    this.registerOutputs({ functionName: this.function.name });
  }
}
