import type * as aws from '@pulumi/aws';
import {
  type AwsLocation,
  type KeyUsingService,
  parameterArn,
  secretArnForId,
  viaService,
} from './arns.ts';

/** An IAM policy document (the `aws.iam.PolicyDocument` shape, resolved). */
export type PolicyDocument = aws.iam.PolicyDocument;

/** IAM's limit on the inline policies of one role, together, in characters (white space aside). */
export const INLINE_POLICY_LIMIT = 10_240;

/** What the refresher may touch, each by exact ARN. */
export interface RefresherPolicyInput {
  readonly location: AwsLocation;
  /** The stack's parameter prefix, for the prefix-scoped grants of a fleet too large to list. */
  readonly parameterPrefix: string;
  /** The token parameters: read the stored envelopes (one by one and ten a call), publish new ones. */
  readonly tokenParameterArns: readonly string[];
  /** The state table: each instance's login lease and refresh record. */
  readonly stateTableArn: string;
  /** The secrets the broker created, `{parameterPrefix}/{name}`. */
  readonly ownSecretArns: readonly string[];
  /** Existing secrets given as `secretId` (ARNs, or `NAME-??????` patterns for names). */
  readonly existingSecretArns: readonly string[];
  /**
   * The secrets of `oauth2-refresh-token` instances (among the above): the refresher writes a
   * rotated refresh token back to them. Always granted by exact ARN, however large the fleet.
   */
  readonly rotatingSecretArns: readonly string[];
  /** The customer-managed key of the secrets, parameters and state table, when there is one. */
  readonly kmsKeyArn: string | undefined;
  /**
   * The key the stack created for its shared tokens (when some are shared and no `kmsKeyArn` is
   * configured). Default: none.
   */
  readonly sharedTokenKeyArn?: string | undefined;
  /** The refresher's log group. */
  readonly logGroupArn: string;
  /** The dead-letter queue that receives failed asynchronous invocations. */
  readonly deadLetterQueueArn: string;
}

/**
 * The refresher's only policy, naming every parameter, secret and the state table by exact ARN. A
 * fleet whose exact policy would exceed {@link INLINE_POLICY_LIMIT} (about 50 instances) is granted
 * the stack's own prefix instead (`…:parameter{prefix}/*`, `…:secret:{prefix}/*-??????`); existing
 * secrets given as `secretId` stay exact, and the state table is one ARN whatever the fleet's
 * size. `secretsmanager:PutSecretValue` is granted only on the secrets of `oauth2-refresh-token`
 * instances, always by exact ARN. Without a customer-managed key no KMS statement is needed: the AWS managed `aws/ssm` and
 * `aws/secretsmanager` keys allow their services' callers in the account, and the table uses an
 * AWS owned key. With one, the key may be used only through SSM, Secrets Manager and DynamoDB.
 *
 * @throws {Error} when even the prefix-scoped policy is too large (too many `secretId` instances)
 *
 * @example
 * JSON.stringify(refresherPolicy({ location, parameterPrefix: '/tb/dev', tokenParameterArns, stateTableArn, ownSecretArns, existingSecretArns, rotatingSecretArns, kmsKeyArn: undefined, logGroupArn, deadLetterQueueArn }));
 */
export function refresherPolicy(input: RefresherPolicyInput): PolicyDocument {
  const exact = refresherStatements(input, {
    tokens: input.tokenParameterArns,
    secrets: [...input.ownSecretArns, ...input.existingSecretArns],
  });
  if (fitsInline(exact)) return exact;
  const { location, parameterPrefix } = input;
  const scoped = refresherStatements(input, {
    tokens: [parameterArn(location, `${parameterPrefix}/*`)],
    secrets: [secretArnForId(location, `${parameterPrefix}/*`), ...input.existingSecretArns],
  });
  if (fitsInline(scoped)) return scoped;
  throw new Error(
    `the refresher's policy would exceed IAM's ${INLINE_POLICY_LIMIT} characters: ${input.existingSecretArns.length} instances name an existing secretId and ${input.rotatingSecretArns.length} rotate refresh tokens (both granted by exact ARN); let the broker create their secrets or split the instances over several stacks`,
  );
}

/** Whether a policy fits IAM's inline-policy size limit (IAM does not count white space). */
export function fitsInline(policy: PolicyDocument, otherPoliciesSize = 0): boolean {
  return JSON.stringify(policy).length + otherPoliciesSize <= INLINE_POLICY_LIMIT;
}

function refresherStatements(
  input: RefresherPolicyInput,
  resources: { tokens: readonly string[]; secrets: readonly string[] },
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      writeLogsStatement(input.logGroupArn),
      {
        Sid: 'ReadAndPublishTokens',
        Effect: 'Allow',
        Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:PutParameter'],
        Resource: [...resources.tokens],
      },
      {
        Sid: 'LeasesAndRecords',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem'],
        Resource: [input.stateTableArn],
      },
      {
        Sid: 'ReadCredentials',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: [...resources.secrets],
      },
      ...(input.rotatingSecretArns.length === 0
        ? []
        : [
            {
              Sid: 'StoreRotatedRefreshTokens',
              Effect: 'Allow' as const,
              Action: ['secretsmanager:PutSecretValue'],
              Resource: [...input.rotatingSecretArns],
            },
          ]),
      ...keyStatement(
        input.kmsKeyArn,
        ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        input.location,
        ['ssm', 'secretsmanager', 'dynamodb'],
      ),
      ...sharedTokenKeyStatement(
        input.sharedTokenKeyArn,
        ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        input.location,
      ),
      {
        Sid: 'ReportFailedInvocations',
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: [input.deadLetterQueueArn],
      },
    ],
  };
}

/**
 * A Lambda role's policy for writing to its own log group (log streams and events, nothing else):
 * all the example consumer needs besides its grants.
 *
 * @example
 * logsPolicy(logGroupArn);
 */
export function logsPolicy(logGroupArn: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [writeLogsStatement(logGroupArn)] };
}

function writeLogsStatement(logGroupArn: string) {
  return {
    Sid: 'WriteOwnLogs',
    Effect: 'Allow' as const,
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: [`${logGroupArn}:*`],
  };
}

/**
 * The scheduler role's policy: invoke the refresher, and dead-letter what it cannot deliver.
 *
 * @example
 * schedulerPolicy(functionArn, deadLetterQueueArn);
 */
export function schedulerPolicy(functionArn: string, deadLetterQueueArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'InvokeRefresher',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [functionArn],
      },
      {
        Sid: 'DeadLetter',
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: [deadLetterQueueArn],
      },
    ],
  };
}

/** What a downstream role is granted to read, and what else its inline policies hold. */
export interface ReadPolicyInput {
  /** The role, as error messages name it. */
  readonly roleName: string;
  readonly location: AwsLocation;
  /** The token parameters it may read. */
  readonly parameterArns: readonly string[];
  /** The broker's customer-managed key, when there is one. */
  readonly kmsKeyArn: string | undefined;
  /** The key the stack created for its shared tokens, when the role reads one. Default: none. */
  readonly sharedTokenKeyArn?: string | undefined;
  /**
   * `…:parameter{prefix}/*`, when every instance is granted: what is granted instead of the exact
   * list when that list does not fit.
   */
  readonly allInstances?: string;
  /** Characters the role's other inline policies use (IAM's limit is for all of them). Default 0. */
  readonly otherPoliciesSize?: number;
}

/**
 * A downstream role's policy for reading token parameters (and decrypting them, through SSM only,
 * with the broker's customer-managed key when there is one). IAM caps all of a role's inline
 * policies together at {@link INLINE_POLICY_LIMIT} characters, so the policy must fit beside the
 * role's others: when the exact list does not and every instance is granted, `allInstances` (the
 * stack's prefix) is granted instead.
 *
 * @throws {Error} naming the role when the grant cannot fit beside the role's other policies
 *
 * @example
 * readPolicy({ roleName: 'job', location, parameterArns: [parameterArn(location, '/tb/dev/idp')], kmsKeyArn: undefined });
 */
export function readPolicy(input: ReadPolicyInput): PolicyDocument {
  const { parameterArns, allInstances, otherPoliciesSize = 0 } = input;
  const exact = readStatements(input, parameterArns);
  if (fitsInline(exact, otherPoliciesSize)) return exact;
  const total = JSON.stringify(exact).length + otherPoliciesSize;
  if (allInstances === undefined) {
    throw new Error(
      `grantRead(${input.roleName}): ${parameterArns.length} named parameters would bring the role's inline policies to ${total} characters, above IAM's ${INLINE_POLICY_LIMIT}; grant all instances (no names) or fewer names`,
    );
  }
  const scoped = readStatements(input, [allInstances]);
  if (fitsInline(scoped, otherPoliciesSize)) return scoped;
  throw new Error(
    `grantRead(${input.roleName}): the role's other inline policies use ${otherPoliciesSize} characters, so even a prefix grant would exceed IAM's ${INLINE_POLICY_LIMIT}; move them to a managed policy`,
  );
}

function readStatements(input: ReadPolicyInput, parameterArns: readonly string[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadTokens',
        Effect: 'Allow',
        Action: ['ssm:GetParameter'],
        Resource: [...parameterArns],
      },
      ...keyStatement(input.kmsKeyArn, ['kms:Decrypt'], input.location, ['ssm']),
      ...sharedTokenKeyStatement(input.sharedTokenKeyArn, ['kms:Decrypt'], input.location),
    ],
  };
}

/** What `token-broker status` reads. */
export interface StatusPolicyInput {
  readonly location: AwsLocation;
  /** The stack's parameter prefix: status reads every token parameter under it. */
  readonly parameterPrefix: string;
  readonly stateTableArn: string;
  readonly kmsKeyArn: string | undefined;
  /** The key the stack created for its shared tokens, when there is one. Default: none. */
  readonly sharedTokenKeyArn?: string | undefined;
}

/**
 * The policy `token-broker status` needs: every token parameter of the stack (ten a call, with
 * decryption), and the refresh records in the state table; with a customer-managed key, decrypting
 * through SSM and DynamoDB only.
 *
 * @example
 * statusPolicy({ location, parameterPrefix: '/tb/dev', stateTableArn, kmsKeyArn: undefined });
 */
export function statusPolicy(input: StatusPolicyInput): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadTokens',
        Effect: 'Allow',
        Action: ['ssm:GetParameters'],
        Resource: [parameterArn(input.location, `${input.parameterPrefix}/*`)],
      },
      {
        Sid: 'ReadRefreshRecords',
        Effect: 'Allow',
        Action: ['dynamodb:BatchGetItem'],
        Resource: [input.stateTableArn],
      },
      ...keyStatement(input.kmsKeyArn, ['kms:Decrypt', 'kms:DescribeKey'], input.location, [
        'ssm',
        'dynamodb',
      ]),
      ...sharedTokenKeyStatement(
        input.sharedTokenKeyArn,
        ['kms:Decrypt', 'kms:DescribeKey'],
        input.location,
      ),
    ],
  };
}

/**
 * A downstream role's policy for asking the refresher for an on-demand refresh.
 *
 * @example
 * invokePolicy(functionArn);
 */
export function invokePolicy(functionArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'RequestRefresh',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [functionArn],
      },
    ],
  };
}

/**
 * A trust policy for a service principal; with `sourceAccount`, only on behalf of that account
 * (the confused-deputy guard EventBridge Scheduler documents).
 *
 * @example
 * assumeRolePolicy('scheduler.amazonaws.com', '123456789012');
 */
export function assumeRolePolicy(service: string, sourceAccount?: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        ...(sourceAccount === undefined
          ? {}
          : { Condition: { StringEquals: { 'aws:SourceAccount': sourceAccount } } }),
      },
    ],
  };
}

/**
 * The statement that lets a principal use the broker's customer-managed key, only through the
 * services that need it on that principal's behalf (`kms:ViaService`), never directly.
 */
function keyStatement(
  kmsKeyArn: string | undefined,
  actions: string[],
  location: AwsLocation,
  services: KeyUsingService[],
  sid = 'UseBrokerKey',
) {
  if (kmsKeyArn === undefined) return [];
  return [
    {
      Sid: sid,
      Effect: 'Allow' as const,
      Action: actions,
      Resource: [kmsKeyArn],
      Condition: {
        StringEquals: {
          'kms:ViaService': services.map((service) => viaService(location, service)),
        },
      },
    },
  ];
}

/** The statement that lets a principal use the stack's shared-token key, only through SSM. */
function sharedTokenKeyStatement(
  keyArn: string | undefined,
  actions: string[],
  location: AwsLocation,
) {
  return keyStatement(keyArn, actions, location, ['ssm'], 'UseSharedTokenKey');
}
