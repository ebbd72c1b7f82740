import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { sharedTokenKeyAlias } from '../../lambdas/reader/contract/names.ts';
import type { AwsLocation } from './arns.ts';
import { readerKeyPolicy, type SharedToken } from './readerPolicies.ts';

/** Arguments of a {@link ReaderKey}. */
export interface ReaderKeyArgs {
  /** The stack's parameter prefix: the alias is derived from it, as the refresher derives it. */
  readonly parameterPrefix: string;
  /** The shared tokens and their readers, once the location is known. */
  readonly tokens: pulumi.Output<readonly SharedToken[]>;
  readonly location: pulumi.Output<AwsLocation>;
}

/**
 * The customer-managed key of a stack's shared tokens, for stacks without a configured
 * `kmsKeyArn` (`aws/ssm` cannot be shared): a symmetric key with yearly rotation whose policy
 * lets each reader decrypt only its parameters, only through SSM, and the alias under which the
 * refresher publishes them (`alias/token-broker-shared{prefix}`).
 *
 * @example
 * const key = new ReaderKey('tb-reader-key', { parameterPrefix: '/tb/dev', tokens, location });
 */
export class ReaderKey extends pulumi.ComponentResource {
  public readonly key: aws.kms.Key;
  public readonly alias: aws.kms.Alias;

  public constructor(name: string, args: ReaderKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('token-broker:index:ReaderKey', name, {}, opts);
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `token-broker: tokens under ${args.parameterPrefix} shared with other accounts`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi
          .all([args.location, args.tokens])
          .apply(([at, tokens]) => JSON.stringify(readerKeyPolicy(at, tokens))),
      },
      { parent: this },
    );
    this.alias = new aws.kms.Alias(
      `${name}-alias`,
      { name: sharedTokenKeyAlias(args.parameterPrefix), targetKeyId: this.key.keyId },
      { parent: this },
    );
    this.registerOutputs({ keyArn: this.key.arn, aliasName: this.alias.name });
  }
}
