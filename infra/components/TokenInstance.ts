import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  type Credentials,
  type InstanceConfig,
  type ProviderType,
  tokenParameterTier,
} from '../../lambdas/config/index.ts';
import { defaultSecretName, tokenParameterName } from '../../lambdas/reader/contract/names.ts';
import { TokenParameter } from '../dynamic/TokenParameter.ts';
import { type AwsLocation, parameterArn, secretArnForId } from './arns.ts';

/** Arguments of a {@link TokenInstance}. */
export interface TokenInstanceArgs {
  readonly instance: InstanceConfig;
  readonly parameterPrefix: string;
  /** Validated credentials; they become the secret's value, marked secret. Default: none. */
  readonly credentials?: Credentials | undefined;
  /** Customer-managed key for the secret and the parameter. Default: the AWS managed keys. */
  readonly kmsKeyArn?: string | undefined;
  /**
   * The key of the token parameter when it is not `kmsKeyArn`: the stack's shared-token key, for
   * an instance shared with other accounts. Default: `kmsKeyArn`.
   */
  readonly tokenKmsKeyArn?: pulumi.Input<string>;
  /** Days a deleted secret can be restored (0 deletes at once). */
  readonly secretRecoveryDays: number;
  readonly location: pulumi.Output<AwsLocation>;
}

/**
 * One provider instance's storage: its credentials secret `{parameterPrefix}/{name}` (unless the
 * instance names an existing `secretId`), the secret's value when credentials are given, and the
 * token parameter the refresher publishes to (Advanced when the instance has readers in other
 * accounts).
 *
 * @example
 * new TokenInstance('tb-idp', { instance, parameterPrefix: '/tb/dev', secretRecoveryDays: 7, location });
 */
export class TokenInstance extends pulumi.ComponentResource {
  /** The instance's name. */
  public readonly instanceName: string;
  /** The instance's provider type. */
  public readonly providerType: ProviderType;
  /** The token parameter's name, `{parameterPrefix}/{name}`. */
  public readonly parameterName: string;
  /** The token parameter's ARN. */
  public readonly parameterArn: pulumi.Output<string>;
  /** The secret's ARN: exact for a secret created here, a `NAME-??????` pattern for a `secretId` name. */
  public readonly secretArn: pulumi.Output<string>;
  /** The secret created here; absent when the instance uses an existing `secretId`. */
  public readonly secret: aws.secretsmanager.Secret | undefined;
  /** The secret's value; present only when credentials were given. */
  public readonly secretVersion: aws.secretsmanager.SecretVersion | undefined;
  public readonly tokenParameter: TokenParameter;

  public constructor(
    name: string,
    args: TokenInstanceArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('token-broker:index:TokenInstance', name, {}, opts);
    const { instance, parameterPrefix, location } = args;
    this.instanceName = instance.name;
    this.providerType = instance.type;
    this.parameterName = tokenParameterName(parameterPrefix, instance.name);
    this.parameterArn = location.apply((at) => parameterArn(at, this.parameterName));

    if (instance.secretId === undefined) {
      this.secret = new aws.secretsmanager.Secret(
        `${name}-credentials`,
        {
          name: defaultSecretName(parameterPrefix, instance.name),
          description: `token-broker credentials of ${instance.name} (${instance.type})`,
          kmsKeyId: args.kmsKeyArn,
          recoveryWindowInDays: args.secretRecoveryDays,
        },
        { parent: this },
      );
      this.secretArn = this.secret.arn;
      this.secretVersion =
        args.credentials === undefined
          ? undefined
          : new aws.secretsmanager.SecretVersion(
              `${name}-credentials-value`,
              {
                secretId: this.secret.id,
                secretString: pulumi.secret(JSON.stringify(args.credentials)),
              },
              { parent: this },
            );
    } else {
      const secretId = instance.secretId;
      this.secret = undefined;
      this.secretVersion = undefined;
      this.secretArn = location.apply((at) => secretArnForId(at, secretId));
    }

    this.tokenParameter = new TokenParameter(
      `${name}-token`,
      {
        name: this.parameterName,
        region: location.region,
        kmsKeyId: args.tokenKmsKeyArn ?? args.kmsKeyArn,
        tier: tokenParameterTier(instance),
        tags: { 'token-broker:instance': instance.name, 'token-broker:type': instance.type },
      },
      { parent: this },
    );

    this.registerOutputs({
      parameterName: this.parameterName,
      parameterArn: this.parameterArn,
      secretArn: this.secretArn,
    });
  }
}
