import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AwsLocation,
  parameterArn,
  secretArnForId,
  tableArn,
  viaService,
} from '../../infra/components/arns.ts';
import {
  INLINE_POLICY_LIMIT,
  type RefresherPolicyInput,
  readPolicy,
  refresherPolicy,
  statusPolicy,
} from '../../infra/components/policies.ts';
import { tokenParameterName } from '../../lambdas/reader/contract/names.ts';

const at: AwsLocation = {
  partition: 'aws',
  dnsSuffix: 'amazonaws.com',
  region: 'eu-west-1',
  accountId: '123456789012',
};
const PREFIX = '/token-broker/prod';
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TABLE = tableArn(at, 'token-broker-prod-state');

/** The refresher policy input of `count` instances named like a real fleet; `existing` use secretId. */
function fleet(count: number, existing = 0, kmsKeyArn?: string): RefresherPolicyInput {
  const names = Array.from(
    { length: count },
    (_, index) => `partner-api-${String(index).padStart(4, '0')}`,
  );
  return {
    location: at,
    parameterPrefix: PREFIX,
    tokenParameterArns: names.map((name) => parameterArn(at, tokenParameterName(PREFIX, name))),
    stateTableArn: TABLE,
    ownSecretArns: names
      .slice(existing)
      .map(
        (name) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${PREFIX}/${name}-AbC123`,
      ),
    existingSecretArns: names
      .slice(0, existing)
      .map((name) => secretArnForId(at, `shared/${name}`)),
    rotatingSecretArns: [],
    kmsKeyArn,
    logGroupArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/refresher',
    deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:refresher-dlq',
  };
}

interface Statement {
  readonly Sid?: string;
  readonly Action: string[];
  readonly Resource: string | string[];
  readonly Condition?: unknown;
}

/** The statements of a policy, as IAM receives them (JSON). */
function statementsOf(policy: ReturnType<typeof refresherPolicy>): Statement[] {
  return (JSON.parse(JSON.stringify(policy)) as { Statement: Statement[] }).Statement;
}

function statementOf(policy: ReturnType<typeof refresherPolicy>, sid: string): Statement {
  const found = statementsOf(policy).find((statement) => statement.Sid === sid);
  assert.ok(found, `a ${sid} statement`);
  return found;
}

function resourcesOf(policy: ReturnType<typeof refresherPolicy>, sid: string): string[] {
  return [statementOf(policy, sid).Resource].flat();
}

describe('Function: refresherPolicy', () => {
  it('names every parameter and secret, and the state table, by exact ARN while the policy fits inline', () => {
    // Prepare
    const input = fleet(20);
    // Act
    const policy = refresherPolicy(input);
    // Assess
    assert.deepEqual(
      statementsOf(policy).map((statement) => [statement.Sid, statement.Action]),
      [
        ['WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents']],
        ['ReadAndPublishTokens', ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:PutParameter']],
        ['LeasesAndRecords', ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem']],
        ['ReadCredentials', ['secretsmanager:GetSecretValue']],
        ['ReportFailedInvocations', ['sqs:SendMessage']],
      ],
    );
    assert.deepEqual(resourcesOf(policy, 'ReadAndPublishTokens'), input.tokenParameterArns);
    assert.deepEqual(resourcesOf(policy, 'LeasesAndRecords'), [TABLE]);
    assert.deepEqual(resourcesOf(policy, 'ReadCredentials'), input.ownSecretArns);
    assert.ok(JSON.stringify(policy).length <= INLINE_POLICY_LIMIT);
  });

  it('grants the stack prefix for 1,000 instances, the table still by its one ARN, within IAM’s inline limit', () => {
    // Prepare
    const input = fleet(1000, 5, KEY);
    // Act
    const policy = refresherPolicy(input);
    // Assess
    const size = JSON.stringify(policy).length;
    assert.ok(size <= INLINE_POLICY_LIMIT, `${size} characters`);
    assert.deepEqual(resourcesOf(policy, 'ReadAndPublishTokens'), [
      'arn:aws:ssm:eu-west-1:123456789012:parameter/token-broker/prod/*',
    ]);
    assert.deepEqual(resourcesOf(policy, 'LeasesAndRecords'), [
      'arn:aws:dynamodb:eu-west-1:123456789012:table/token-broker-prod-state',
    ]);
    assert.deepEqual(resourcesOf(policy, 'ReadCredentials'), [
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:/token-broker/prod/*-??????',
      ...input.existingSecretArns,
    ]);
    assert.ok(
      statementsOf(policy).every((statement) => ![statement.Resource].flat().includes('*')),
      'never a bare "*"',
    );
    assert.ok(!JSON.stringify(policy).includes('.locks'), 'no lock parameters');
  });

  it('lets only refresh-token secrets be written, by exact ARN, even when the rest is prefix-scoped', () => {
    // Prepare
    const small = fleet(3);
    const large = fleet(1000);
    const rotating = (input: RefresherPolicyInput) => ({
      ...input,
      rotatingSecretArns: input.ownSecretArns.slice(0, 2),
    });
    // Act
    const exact = refresherPolicy(rotating(small));
    const scoped = refresherPolicy(rotating(large));
    const none = refresherPolicy(small);
    // Assess
    for (const [policy, input] of [
      [exact, small],
      [scoped, large],
    ] as const) {
      assert.deepEqual(statementOf(policy, 'StoreRotatedRefreshTokens'), {
        Sid: 'StoreRotatedRefreshTokens',
        Effect: 'Allow',
        Action: ['secretsmanager:PutSecretValue'],
        Resource: input.ownSecretArns.slice(0, 2),
      });
    }
    assert.ok(JSON.stringify(scoped).length <= INLINE_POLICY_LIMIT);
    assert.ok(!JSON.stringify(none).includes('PutSecretValue'));
  });

  it('lets the customer key be used only through SSM, Secrets Manager and DynamoDB', () => {
    // Act
    const policy = refresherPolicy(fleet(3, 0, KEY));
    // Assess
    assert.deepEqual(statementOf(policy, 'UseBrokerKey'), {
      Sid: 'UseBrokerKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: [KEY],
      Condition: {
        StringEquals: {
          'kms:ViaService': [
            'ssm.eu-west-1.amazonaws.com',
            'secretsmanager.eu-west-1.amazonaws.com',
            'dynamodb.eu-west-1.amazonaws.com',
          ],
        },
      },
    });
  });

  it('refuses, naming the cause, when too many existing secrets are listed to fit', () => {
    // Act + Assess
    assert.throws(
      () => refresherPolicy(fleet(1000, 200)),
      /200 instances name an existing secretId/,
    );
  });
});

describe('Function: readPolicy', () => {
  const arns = (count: number) =>
    Array.from({ length: count }, (_, index) => parameterArn(at, `${PREFIX}/partner-api-${index}`));
  const allInstances = parameterArn(at, `${PREFIX}/*`);
  const base = { roleName: 'job-role', location: at, kmsKeyArn: undefined };

  it('names the parameters exactly while they fit', () => {
    // Act
    const policy = readPolicy({ ...base, parameterArns: arns(3), allInstances });
    // Assess
    assert.deepEqual(resourcesOf(policy, 'ReadTokens'), arns(3));
  });

  it('grants the prefix when every instance of a large fleet is granted', () => {
    // Act
    const policy = readPolicy({ ...base, parameterArns: arns(1000), allInstances });
    // Assess
    assert.deepEqual(resourcesOf(policy, 'ReadTokens'), [allInstances]);
  });

  it('grants the prefix when the exact list fits alone but not beside the role’s other policies', () => {
    // Prepare
    const parameterArns = arns(120);
    const alone = JSON.stringify(readPolicy({ ...base, parameterArns })).length;
    // Act
    const policy = readPolicy({
      ...base,
      parameterArns,
      allInstances,
      otherPoliciesSize: INLINE_POLICY_LIMIT - alone + 1,
    });
    // Assess
    assert.ok(alone <= INLINE_POLICY_LIMIT);
    assert.deepEqual(resourcesOf(policy, 'ReadTokens'), [allInstances]);
  });

  it('refuses a list of named instances that cannot fit, naming the role and the total', () => {
    // Act + Assess
    assert.throws(
      () => readPolicy({ ...base, parameterArns: arns(1000) }),
      /grantRead\(job-role\): 1000 named parameters would bring the role's inline policies to \d+ characters/,
    );
    assert.throws(
      () => readPolicy({ ...base, parameterArns: arns(3), otherPoliciesSize: INLINE_POLICY_LIMIT }),
      /grantRead\(job-role\): 3 named parameters/,
    );
  });

  it('refuses when even the prefix grant cannot fit beside the role’s other policies', () => {
    // Act + Assess
    assert.throws(
      () =>
        readPolicy({
          ...base,
          parameterArns: arns(3),
          allInstances,
          otherPoliciesSize: INLINE_POLICY_LIMIT - 50,
        }),
      /grantRead\(job-role\): the role's other inline policies use 10190 characters/,
    );
  });

  it('decrypts with the customer key through SSM only', () => {
    // Act
    const policy = readPolicy({ ...base, kmsKeyArn: KEY, parameterArns: arns(1) });
    // Assess
    assert.deepEqual(statementOf(policy, 'UseBrokerKey'), {
      Sid: 'UseBrokerKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [KEY],
      Condition: { StringEquals: { 'kms:ViaService': ['ssm.eu-west-1.amazonaws.com'] } },
    });
  });
});

describe('Function: statusPolicy', () => {
  it('reads every token parameter ten a call and the refresh records, decrypting through SSM and DynamoDB', () => {
    // Act
    const policy = statusPolicy({
      location: at,
      parameterPrefix: PREFIX,
      stateTableArn: TABLE,
      kmsKeyArn: KEY,
    });
    // Assess
    assert.deepEqual(policy, {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadTokens',
          Effect: 'Allow',
          Action: ['ssm:GetParameters'],
          Resource: ['arn:aws:ssm:eu-west-1:123456789012:parameter/token-broker/prod/*'],
        },
        {
          Sid: 'ReadRefreshRecords',
          Effect: 'Allow',
          Action: ['dynamodb:BatchGetItem'],
          Resource: [TABLE],
        },
        {
          Sid: 'UseBrokerKey',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: [KEY],
          Condition: {
            StringEquals: {
              'kms:ViaService': ['ssm.eu-west-1.amazonaws.com', 'dynamodb.eu-west-1.amazonaws.com'],
            },
          },
        },
      ],
    });
  });
});

describe('Function: viaService', () => {
  it('names the regional endpoint with the partition’s DNS suffix', () => {
    // Prepare
    const china: AwsLocation = { ...at, partition: 'aws-cn', dnsSuffix: 'amazonaws.com.cn' };
    // Act + Assess
    assert.equal(viaService(china, 'dynamodb'), 'dynamodb.eu-west-1.amazonaws.com.cn');
    assert.equal(tableArn(china, 't'), 'arn:aws-cn:dynamodb:eu-west-1:123456789012:table/t');
  });
});
