import type * as aws from '@pulumi/aws';

/** An IAM policy document (the `aws.iam.PolicyDocument` shape, resolved). */
export type PolicyDocument = aws.iam.PolicyDocument;

/** What the refresher may touch, each by exact ARN. */
export interface RefresherPolicyInput {
  /** The token parameters: read the stored envelopes (one by one and ten a call), publish new ones. */
  readonly tokenParameterArns: readonly string[];
  /** The lock parameters: the refresh records (create, read, take over, release; never deleted). */
  readonly lockParameterArns: readonly string[];
  /** The credentials secrets (ARNs, or `NAME-??????` patterns for secrets given by name). */
  readonly secretArns: readonly string[];
  /** The customer-managed key of the secrets and parameters, when there is one. */
  readonly kmsKeyArn: string | undefined;
  /** The refresher's log group. */
  readonly logGroupArn: string;
  /** The dead-letter queue that receives failed asynchronous invocations. */
  readonly deadLetterQueueArn: string;
}

/**
 * The refresher's only policy. Without a customer-managed key no KMS statement is needed: the AWS
 * managed `aws/ssm` and `aws/secretsmanager` keys allow their services' callers in the account.
 *
 * @example
 * JSON.stringify(refresherPolicy({ tokenParameterArns, lockParameterArns, secretArns, kmsKeyArn: undefined, logGroupArn, deadLetterQueueArn }));
 */
export function refresherPolicy(input: RefresherPolicyInput): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [`${input.logGroupArn}:*`],
      },
      {
        Sid: 'ReadAndPublishTokens',
        Effect: 'Allow',
        Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:PutParameter'],
        Resource: [...input.tokenParameterArns],
      },
      {
        Sid: 'LoginLeases',
        Effect: 'Allow',
        Action: ['ssm:GetParameter', 'ssm:PutParameter'],
        Resource: [...input.lockParameterArns],
      },
      {
        Sid: 'ReadCredentials',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: [...input.secretArns],
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
 * customer-managed key, when there is one).
 *
 * @example
 * readPolicy([parameterArn(location, '/tb/dev/idp')], undefined);
 */
export function readPolicy(
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
