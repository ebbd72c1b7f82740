import * as pulumi from '@pulumi/pulumi';
import { type TokenParameterTier, TokenParameterTiers } from '../../lambdas/config/readers.ts';
import { tokenParameterProvider } from './tokenParameterProvider.ts';

/** Arguments of a {@link TokenParameter}. */
export interface TokenParameterArgs {
  /** The full parameter name, `{parameterPrefix}/{name}`. */
  readonly name: pulumi.Input<string>;
  /** AWS region. */
  readonly region: pulumi.Input<string>;
  /** KMS key ARN for the SecureString. Default: the account's `aws/ssm` key. */
  readonly kmsKeyId?: pulumi.Input<string> | undefined;
  /** Tags. Default: none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** `Advanced` for a token shared with other accounts. Default: `Intelligent-Tiering`. */
  readonly tier?: TokenParameterTier;
}

/**
 * An instance's token parameter (SSM SecureString; Intelligent-Tiering, or Advanced when shared
 * with other accounts), created empty for the refresher to fill. Its state holds metadata only,
 * never the token (see {@link tokenParameterProvider}).
 *
 * @example
 * new TokenParameter('cw-sandbox-token', { name: '/tb/dev/cw-sandbox', region: 'eu-west-1' });
 */
export class TokenParameter extends pulumi.dynamic.Resource {
  /** The parameter name (also its id). */
  declare public readonly name: pulumi.Output<string>;
  /** The storage tier SSM chose. */
  declare public readonly tier: pulumi.Output<string>;
  /** The key the current value is encrypted with. */
  declare public readonly keyId: pulumi.Output<string>;

  public constructor(name: string, args: TokenParameterArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      tokenParameterProvider,
      name,
      {
        name: args.name,
        region: args.region,
        kmsKeyId: args.kmsKeyId ?? '',
        tags: args.tags ?? {},
        requestedTier: args.tier ?? TokenParameterTiers.unshared,
        type: undefined,
        tier: undefined,
        keyId: undefined,
      },
      opts,
      'token-broker',
      'TokenParameter',
    );
  }
}
