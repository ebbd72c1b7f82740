import type * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ReaderEnvironment } from '../../lambdas/reader/constants.ts';
import { BundledFunction } from './BundledFunction.ts';
import { packageFile } from './packageRoot.ts';

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
 * The example downstream Lambda (`infra/examples/consumerHandler.ts`), a {@link BundledFunction}
 * like the refresher. It gets only log permissions here; `TokenBroker` grants it read and refresh.
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
    const bundled = new BundledFunction(
      name,
      {
        entry: packageFile('infra/examples/consumerHandler.ts'),
        description: 'token-broker example consumer: reads a token with token-broker/reader',
        roleDescription: 'token-broker example consumer',
        memorySize: 128,
        timeout: 30,
        variables: {
          [ReaderEnvironment.parameterPrefix]: args.parameterPrefix,
          [ReaderEnvironment.refresherFunction]: args.refresherFunctionName,
          EXAMPLE_INSTANCE: args.defaultInstance,
        },
        logRetentionDays: args.logRetentionDays,
      },
      { parent: this },
    );
    this.role = bundled.role;
    this.logGroup = bundled.logGroup;
    this.logPolicy = bundled.policy;
    this.logPolicyDocument = bundled.policyDocument;
    this.function = bundled.function;
    this.registerOutputs({ functionName: this.function.name });
  }
}
