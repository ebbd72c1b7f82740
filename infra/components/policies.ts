import type * as aws from '@pulumi/aws';

/** An IAM policy document (the `aws.iam.PolicyDocument` shape, resolved). */
export type PolicyDocument = aws.iam.PolicyDocument;

/** IAM's limit on the inline policies of one role, together, in characters (white space aside). */
export const INLINE_POLICY_LIMIT = 10_240;

/** What the refresher may touch, each by exact ARN. */
export interface RefresherPolicyInput {
  /** The token parameters: read the stored envelopes (one by one and ten a call), publish new ones. */
  readonly tokenParameterArns: readonly string[];
  /** The lock parameters: the refresh records (create, read, take over, release; never deleted). */
  readonly lockParameterArns: readonly string[];
  /** The secrets the broker created, `{parameterPrefix}/{name}`. */
  readonly ownSecretArns: readonly string[];
  /** Existing secrets given as `secretId` (ARNs, or `NAME-??????` patterns for names). */
  readonly existingSecretArns: readonly string[];
  /** The customer-managed key of the secrets and parameters, when there is one. */
  readonly kmsKeyArn: string | undefined;
  /** The refresher's log group. */
  readonly logGroupArn: string;
  /** The dead-letter queue that receives failed asynchronous invocations. */
  readonly deadLetterQueueArn: string;
  /** The same grants as ARN patterns under the stack's own prefix, for fleets too large to list. */
  readonly prefixScope: PrefixScope;
}

/** ARN patterns covering everything under the broker's parameter prefix, and nothing else. */
export interface PrefixScope {
  /** `…:parameter{prefix}/*`: the token parameters (and the lease records below them). */
  readonly tokenParameters: string;
  /** `…:parameter{prefix}/.locks/*`. */
  readonly lockParameters: string;
  /** `…:secret:{prefix}/*`: the secrets the broker creates. */
  readonly ownSecrets: string;
}

/**
 * The refresher's only policy, naming every parameter and secret by exact ARN. A fleet whose exact
 * policy would exceed {@link INLINE_POLICY_LIMIT} (about 35 instances) is granted the stack's own
 * prefix instead ({@link PrefixScope}); existing secrets given as `secretId` stay exact. Without a
 * customer-managed key no KMS statement is needed: the AWS managed `aws/ssm` and
 * `aws/secretsmanager` keys allow their services' callers in the account.
 *
 * @throws {Error} when even the prefix-scoped policy is too large (too many `secretId` instances)
 *
 * @example
 * JSON.stringify(refresherPolicy({ tokenParameterArns, lockParameterArns, ownSecretArns, existingSecretArns, kmsKeyArn: undefined, logGroupArn, deadLetterQueueArn, prefixScope }));
 */
export function refresherPolicy(input: RefresherPolicyInput): PolicyDocument {
  const exact = refresherStatements(input, {
    tokens: input.tokenParameterArns,
    locks: input.lockParameterArns,
    secrets: [...input.ownSecretArns, ...input.existingSecretArns],
  });
  if (fitsInline(exact)) return exact;
  const { prefixScope } = input;
  const scoped = refresherStatements(input, {
    tokens: [prefixScope.tokenParameters],
    locks: [prefixScope.lockParameters],
    secrets: [prefixScope.ownSecrets, ...input.existingSecretArns],
  });
  if (fitsInline(scoped)) return scoped;
  throw new Error(
    `the refresher's policy would exceed IAM's ${INLINE_POLICY_LIMIT} characters: ${input.existingSecretArns.length} instances name an existing secretId; let the broker create their secrets or split the instances over several stacks`,
  );
}

/** Whether a policy fits IAM's inline-policy size limit (IAM does not count white space). */
export function fitsInline(policy: PolicyDocument): boolean {
  return JSON.stringify(policy).length <= INLINE_POLICY_LIMIT;
}

function refresherStatements(
  input: RefresherPolicyInput,
  resources: { tokens: readonly string[]; locks: readonly string[]; secrets: readonly string[] },
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
        Sid: 'LoginLeases',
        Effect: 'Allow',
        Action: ['ssm:GetParameter', 'ssm:PutParameter'],
        Resource: [...resources.locks],
      },
      {
        Sid: 'ReadCredentials',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: [...resources.secrets],
      },
      ...keyStatement(input.kmsKeyArn, ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']),
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

/**
 * A downstream role's policy for reading token parameters (and decrypting them with the broker's
 * customer-managed key, when there is one). When the exact list would exceed
 * {@link INLINE_POLICY_LIMIT} and every instance is granted, `allInstances` (the stack's prefix,
 * `…:parameter{prefix}/*`) is granted instead.
 *
 * @throws {Error} when a list of named instances is too long to grant one by one
 *
 * @example
 * readPolicy([parameterArn(location, '/tb/dev/idp')], undefined);
 */
export function readPolicy(
  parameterArns: readonly string[],
  kmsKeyArn: string | undefined,
  allInstances?: string,
): PolicyDocument {
  const exact = readStatements(parameterArns, kmsKeyArn);
  if (fitsInline(exact)) return exact;
  if (allInstances === undefined) {
    throw new Error(
      `grantRead: ${parameterArns.length} named parameters exceed IAM's ${INLINE_POLICY_LIMIT}-character policy limit; grant all instances (no names) or fewer names`,
    );
  }
  return readStatements([allInstances], kmsKeyArn);
}

function readStatements(
  parameterArns: readonly string[],
  kmsKeyArn: string | undefined,
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadTokens',
        Effect: 'Allow',
        Action: ['ssm:GetParameter'],
        Resource: [...parameterArns],
      },
      ...keyStatement(kmsKeyArn, ['kms:Decrypt']),
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

function keyStatement(kmsKeyArn: string | undefined, actions: string[]) {
  if (kmsKeyArn === undefined) return [];
  return [
    { Sid: 'UseBrokerKey', Effect: 'Allow' as const, Action: actions, Resource: [kmsKeyArn] },
  ];
}
