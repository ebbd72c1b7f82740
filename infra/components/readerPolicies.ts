import type * as aws from '@pulumi/aws';
import type { InstanceConfig } from '../../lambdas/config/index.ts';
import { isSharedInstance, readersOf } from '../../lambdas/config/readers.ts';
import { tokenParameterName } from '../../lambdas/reader/contract/names.ts';
import { type AwsLocation, parameterArn, viaService } from './arns.ts';
import type { PolicyDocument } from './policies.ts';

/** KMS's limit on a key policy, in characters (white space aside). */
export const KEY_POLICY_LIMIT = 32_768;

/** One token shared with other accounts: its parameter and who may read it. */
export interface SharedToken {
  /** The instance's name. */
  readonly name: string;
  /** The token parameter's ARN, as readers in other accounts name it. */
  readonly parameterArn: string;
  /** 12-digit account IDs. */
  readonly accounts: readonly string[];
  /** Organization and organizational-unit ARNs. */
  readonly organizations: readonly string[];
}

/**
 * The instances shared with other accounts, with their parameter ARNs and readers, in
 * configuration order.
 *
 * @throws {Error} naming the instance when it lists the broker's own account as a reader
 * @example
 * sharedTokens(config.instances, '/tb/dev', location); // => [{ name: 'idp', parameterArn: 'arn:…:parameter/tb/dev/idp', accounts: ['111122223333'], organizations: [] }]
 */
export function sharedTokens(
  instances: readonly InstanceConfig[],
  parameterPrefix: string,
  location: AwsLocation,
): SharedToken[] {
  return instances.filter(isSharedInstance).map((instance) => {
    const { accounts, organizations } = readersOf(instance);
    if (accounts.includes(location.accountId)) {
      throw new Error(
        `instance "${instance.name}": readerAccounts lists ${location.accountId}, the broker's own account; its roles read the token with grantRead instead`,
      );
    }
    return {
      name: instance.name,
      parameterArn: parameterArn(location, tokenParameterName(parameterPrefix, instance.name)),
      accounts,
      organizations,
    };
  });
}

/**
 * The key-policy statements that let the readers of shared tokens decrypt them, and nothing else:
 * `kms:Decrypt` only, only through SSM in the broker's region (`kms:ViaService`), and only for
 * the parameters shared with them (`kms:EncryptionContext:PARAMETER_ARN`, which Parameter Store
 * sets to the parameter's ARN). One statement per account, naming its root (so the account's own
 * IAM policies decide which of its roles may). An organization or organizational unit cannot be
 * named as a principal in a key policy: its statement has the principal `*`, bounded by
 * `aws:PrincipalOrgID` or `aws:PrincipalOrgPaths` besides the two conditions above.
 *
 * @example
 * readerKeyStatements(location, sharedTokens(config.instances, '/tb/dev', location));
 */
export function readerKeyStatements(
  location: AwsLocation,
  tokens: readonly SharedToken[],
): aws.iam.PolicyStatement[] {
  const ssm = viaService(location, 'ssm');
  const byPrincipal = new Map<string, string[]>();
  for (const token of tokens) {
    for (const principal of [...token.accounts, ...token.organizations]) {
      byPrincipal.set(principal, [...(byPrincipal.get(principal) ?? []), token.parameterArn]);
    }
  }
  return [...byPrincipal].map(([principal, parameterArns]) => {
    const onlyThese = {
      'kms:ViaService': ssm,
      'kms:EncryptionContext:PARAMETER_ARN': parameterArns,
    };
    const common = {
      Effect: 'Allow' as const,
      Action: 'kms:Decrypt',
      Resource: '*',
    };
    if (/^\d{12}$/.test(principal)) {
      return {
        Sid: `ReadSharedTokens${principal}`,
        ...common,
        Principal: { AWS: `arn:${location.partition}:iam::${principal}:root` },
        Condition: { StringEquals: onlyThese },
      };
    }
    const { organizationId, unitId } = parseOrganizationArn(principal);
    return {
      Sid: `ReadSharedTokens${(unitId ?? organizationId).replaceAll('-', '')}`,
      ...common,
      Principal: { AWS: '*' },
      Condition:
        unitId === undefined
          ? { StringEquals: { ...onlyThese, 'aws:PrincipalOrgID': organizationId } }
          : {
              StringEquals: onlyThese,
              'ForAnyValue:StringLike': {
                'aws:PrincipalOrgPaths': [`${organizationId}/*/${unitId}/*`],
              },
            },
    };
  });
}

/**
 * The policy of the key a stack creates for its shared tokens: the broker's account administers
 * it and lets its own IAM policies grant its use (the refresher's, `grantRead`'s), as in KMS's
 * default key policy; the readers get {@link readerKeyStatements}.
 *
 * @throws {Error} when the policy exceeds KMS's {@link KEY_POLICY_LIMIT}
 * @example
 * JSON.stringify(readerKeyPolicy(location, sharedTokens(config.instances, '/tb/dev', location)));
 */
export function readerKeyPolicy(
  location: AwsLocation,
  tokens: readonly SharedToken[],
): PolicyDocument {
  const policy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'BrokerAccountAdministersAndGrants',
        Effect: 'Allow',
        Principal: { AWS: `arn:${location.partition}:iam::${location.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      ...readerKeyStatements(location, tokens),
    ],
  };
  const size = JSON.stringify(policy).length;
  if (size > KEY_POLICY_LIMIT) {
    throw new Error(
      `the shared tokens' key policy would take ${size} characters, above KMS's ${KEY_POLICY_LIMIT}: share fewer instances with each account, or split them over several stacks`,
    );
  }
  return policy;
}

/** What a role in a reader account needs to read shared tokens. */
export interface CrossAccountReadPolicyInput {
  readonly location: AwsLocation;
  /** The shared token parameters it reads, by ARN. */
  readonly parameterArns: readonly string[];
  /** The key the shared tokens are encrypted with. */
  readonly keyArn: string;
}

/**
 * The policy to attach to a role in a reader account: `ssm:GetParameter` on exactly the shared
 * parameters, and `kms:Decrypt` on the broker's key through SSM in the broker's region. Both are
 * needed besides the share and the key policy: cross-account access takes a grant on each side.
 *
 * @example
 * crossAccountReadPolicy({ location, parameterArns: ['arn:aws:ssm:eu-west-1:123456789012:parameter/tb/prod/idp'], keyArn });
 */
export function crossAccountReadPolicy(input: CrossAccountReadPolicyInput): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadSharedTokens',
        Effect: 'Allow',
        Action: ['ssm:GetParameter'],
        Resource: [...input.parameterArns],
      },
      {
        Sid: 'DecryptSharedTokens',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: [input.keyArn],
        Condition: { StringEquals: { 'kms:ViaService': [viaService(input.location, 'ssm')] } },
      },
    ],
  };
}

/**
 * The organization ID of an organization ARN, and the unit ID of an organizational-unit ARN.
 *
 * @example
 * parseOrganizationArn('arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdefghij');
 * // => { organizationId: 'o-abcdefghij', unitId: 'ou-ab12-cdefghij' }
 */
export function parseOrganizationArn(arn: string): {
  organizationId: string;
  unitId: string | undefined;
} {
  const [kind, organizationId = '', unitId] = arn.split(':').at(-1)?.split('/') ?? [];
  return { organizationId, unitId: kind === 'ou' ? unitId : undefined };
}
