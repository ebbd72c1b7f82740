import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { parseOrganizationArn, type SharedToken } from './readerPolicies.ts';

/** Arguments of a {@link ParameterShare}. */
export interface ParameterShareArgs {
  /** The stack's parameter prefix, in the share's name. */
  readonly parameterPrefix: string;
  /** The instance's name. */
  readonly instanceName: string;
  /** Its token parameter's ARN. */
  readonly parameterArn: pulumi.Input<string>;
  /** Who reads it (the accounts and organizations of its {@link SharedToken}). */
  readonly readers: Pick<SharedToken, 'accounts' | 'organizations'>;
  readonly partition: pulumi.Input<string>;
}

/**
 * An AWS RAM resource share of exactly one token parameter with exactly its readers, read-only
 * (`AWSRAMDefaultPermissionSSMParameterReadOnly`: `GetParameter`, `GetParameters`,
 * `DescribeParameters`). Accounts may be outside the organization; such an account, or any
 * account when sharing with AWS Organizations is not enabled, must accept the share's invitation.
 *
 * @example
 * new ParameterShare('tb-idp-share', { parameterPrefix: '/tb/dev', instanceName: 'idp', parameterArn, readers, partition: 'aws' });
 */
export class ParameterShare extends pulumi.ComponentResource {
  public readonly share: aws.ram.ResourceShare;
  public readonly parameter: aws.ram.ResourceAssociation;
  /** One association per reader account or organization, keyed by that principal. */
  public readonly principals: Readonly<Record<string, aws.ram.PrincipalAssociation>>;

  public constructor(
    name: string,
    args: ParameterShareArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('token-broker:index:ParameterShare', name, {}, opts);
    const { accounts, organizations } = args.readers;
    this.share = new aws.ram.ResourceShare(
      `${name}-share`,
      {
        name: `token-broker${args.parameterPrefix}/${args.instanceName}`,
        allowExternalPrincipals: accounts.length > 0,
        permissionArns: [
          pulumi.interpolate`arn:${args.partition}:ram::aws:permission/AWSRAMDefaultPermissionSSMParameterReadOnly`,
        ],
        tags: { 'token-broker:instance': args.instanceName },
      },
      { parent: this },
    );
    this.parameter = new aws.ram.ResourceAssociation(
      `${name}-parameter`,
      { resourceArn: args.parameterArn, resourceShareArn: this.share.arn },
      { parent: this },
    );
    this.principals = Object.fromEntries(
      [...accounts, ...organizations].map((principal) => {
        const { organizationId, unitId } = parseOrganizationArn(principal);
        const label = /^\d{12}$/.test(principal) ? principal : (unitId ?? organizationId);
        const association = new aws.ram.PrincipalAssociation(
          `${name}-${label}`,
          { principal, resourceShareArn: this.share.arn },
          { parent: this },
        );
        return [principal, association];
      }),
    );
    this.registerOutputs({ shareArn: this.share.arn });
  }
}
