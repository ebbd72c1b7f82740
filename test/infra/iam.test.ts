import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as aws from '@pulumi/aws';
import { TokenBroker } from '../../infra/components/index.ts';
import { fourInstances, kmsKeyArn, threeCredentials } from './fixtures.ts';
import {
  find,
  installMocks,
  MOCK_ACCOUNT,
  mockArn,
  ofType,
  type RecordedResource,
  settle,
} from './pulumiMocks.ts';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: { Service: string };
  Condition?: unknown;
}

const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function statementsOf(
  recorded: readonly RecordedResource[],
): { policy: string; statement: Statement }[] {
  return ofType(recorded, 'aws:iam/rolePolicy:RolePolicy').flatMap((policy) =>
    (JSON.parse(String(policy.inputs.policy)) as { Statement: Statement[] }).Statement.map(
      (statement) => ({
        policy: policy.name,
        statement,
      }),
    ),
  );
}

/** Checks every statement of every policy; returns the resources per guarded service. */
function auditStatements(
  recorded: readonly RecordedResource[],
): Record<'ssm' | 'secretsmanager' | 'kms' | 'dynamodb', Set<string>> {
  const guarded = {
    ssm: new Set<string>(),
    secretsmanager: new Set<string>(),
    kms: new Set<string>(),
    dynamodb: new Set<string>(),
  };
  const statements = statementsOf(recorded);
  assert.ok(statements.length > 0);
  for (const { policy, statement } of statements) {
    const where = `${policy} ${statement.Sid ?? ''}`;
    assert.equal(statement.Effect, 'Allow', where);
    const resources = list(statement.Resource);
    assert.ok(resources.length > 0, `${where}: names its resources`);
    for (const action of list(statement.Action)) {
      assert.doesNotMatch(action, /\*/, `${where}: no wildcard action`);
      const service = action.split(':')[0] as keyof typeof guarded;
      for (const resource of resources) {
        assert.notEqual(resource, '*', `${where}: no "*" resource`);
        if (service in guarded) {
          assert.doesNotMatch(resource, /\*/, `${where}: ${action} on an exact ARN`);
          guarded[service].add(resource);
        } else {
          // Only log streams of one named log group are matched by a pattern.
          if (resource.includes('*'))
            assert.match(resource, /^arn:aws:logs:[^*]+:log-group:[^*]+:\*$/, where);
        }
      }
    }
  }
  return guarded;
}

describe('IAM: four instances with credentials, example consumer', () => {
  let recorded: RecordedResource[];
  before(async () => {
    recorded = await installMocks();
    new TokenBroker('iam', {
      parameterPrefix: '/tb/dev',
      instances: fourInstances,
      credentials: threeCredentials,
      exampleConsumer: true,
    });
    await settle();
  });

  it('scopes SSM, Secrets Manager, DynamoDB and KMS to exact ARNs of this broker only', () => {
    const guarded = auditStatements(recorded);
    const names = fourInstances.map((instance) => instance.name);
    assert.deepEqual(
      [...guarded.ssm].sort(),
      names.map((name) => mockArn('ssm', `parameter/tb/dev/${name}`)).sort(),
    );
    assert.deepEqual([...guarded.dynamodb], [mockArn('dynamodb', 'table/tb-dev-state')]);
    assert.deepEqual(
      [...guarded.secretsmanager].sort(),
      names.map((name) => mockArn('secretsmanager', `secret:/tb/dev/${name}-AbCdEf`)).sort(),
    );
    assert.equal(guarded.kms.size, 0, 'AWS managed keys need no KMS statement');
  });

  it('gives the refresher exactly: its logs, its tokens, its state table, its secrets, its dead-letter queue', () => {
    const refresher = statementsOf(recorded).filter(
      ({ policy }) => policy === 'iam-refresher-policy',
    );
    assert.deepEqual(
      refresher.map(({ statement }) => [statement.Sid, statement.Action]),
      [
        ['WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents']],
        ['ReadAndPublishTokens', ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:PutParameter']],
        ['LeasesAndRecords', ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem']],
        ['ReadCredentials', ['secretsmanager:GetSecretValue']],
        ['ReportFailedInvocations', ['sqs:SendMessage']],
      ],
    );
    const state = refresher.find(({ statement }) => statement.Sid === 'LeasesAndRecords');
    assert.deepEqual(state?.statement.Resource, [mockArn('dynamodb', 'table/tb-dev-state')]);
  });

  it('lets the consumer read tokens and invoke the refresher, nothing else', () => {
    const consumer = statementsOf(recorded).filter(({ policy }) =>
      policy.includes('example-consumer-role'),
    );
    assert.deepEqual(
      consumer.map(({ statement }) => [
        statement.Sid,
        statement.Action,
        list(statement.Resource).length,
      ]),
      [
        ['RequestRefresh', ['lambda:InvokeFunction'], 1],
        ['ReadTokens', ['ssm:GetParameter'], 4],
      ],
    );
  });

  it('uses separate roles for the schedule and the function, each trusting only its service', () => {
    const trust = (name: string) =>
      (
        JSON.parse(String(find(recorded, 'aws:iam/role:Role', name).inputs.assumeRolePolicy)) as {
          Statement: Statement[];
        }
      ).Statement;
    assert.deepEqual(
      trust('iam-refresher-role').map((s) => s.Principal),
      [{ Service: 'lambda.amazonaws.com' }],
    );
    assert.deepEqual(trust('iam-schedule-role'), [
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': MOCK_ACCOUNT } },
      },
    ]);
    const target = find(recorded, 'aws:scheduler/schedule:Schedule', 'iam-schedule-schedule').inputs
      .target as { roleArn: string };
    const functionRole = find(recorded, 'aws:lambda/function:Function', 'iam-refresher-function')
      .inputs.role;
    assert.notEqual(target.roleArn, functionRole);
    const scheduler = statementsOf(recorded).filter(
      ({ policy }) => policy === 'iam-schedule-policy',
    );
    assert.deepEqual(
      scheduler.map(({ statement }) => [statement.Action, statement.Resource]),
      [
        [['lambda:InvokeFunction'], [mockArn('lambda', 'function:iam-refresher-function-0a1b2c3')]],
        [['sqs:SendMessage'], [mockArn('sqs', 'iam-dead-letters-0a1b2c3')]],
      ],
    );
  });

  it('attaches no managed policy anywhere', () => {
    assert.equal(ofType(recorded, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment').length, 0);
    for (const role of ofType(recorded, 'aws:iam/role:Role')) {
      assert.equal(role.inputs.managedPolicyArns, undefined, role.name);
    }
  });
});

describe('IAM: refresh-token instances', () => {
  let recorded: RecordedResource[];
  const sharedArn = mockArn('secretsmanager', 'secret:shared/crm-Zz9Yy8');
  before(async () => {
    recorded = await installMocks();
    const refreshToken = {
      type: 'oauth2-refresh-token',
      tokenUrl: 'https://idp.example.org/oauth2/token',
    } as const;
    new TokenBroker('rot', {
      parameterPrefix: '/tb/rot',
      instances: [
        fourInstances[3],
        { ...refreshToken, name: 'crm' },
        { ...refreshToken, name: 'crm-shared', secretId: sharedArn },
      ],
    });
    await settle();
  });

  it('lets the refresher write back only the secrets of oauth2-refresh-token instances, by exact ARN', () => {
    // Act
    const writes = statementsOf(recorded).filter(({ statement }) =>
      list(statement.Action).includes('secretsmanager:PutSecretValue'),
    );
    // Assess
    assert.deepEqual(
      writes.map(({ policy, statement }) => [policy, statement.Sid, statement.Resource]),
      [
        [
          'rot-refresher-policy',
          'StoreRotatedRefreshTokens',
          [mockArn('secretsmanager', 'secret:/tb/rot/crm-AbCdEf'), sharedArn],
        ],
      ],
    );
    auditStatements(recorded);
  });
});

describe('IAM: existing secrets, a customer-managed key and downstream grants', () => {
  let recorded: RecordedResource[];
  const secretArn = mockArn('secretsmanager', 'secret:shared/idp-Zz9Yy8');
  before(async () => {
    recorded = await installMocks();
    const broker = new TokenBroker('kms', {
      parameterPrefix: '/tb/prd',
      instances: [
        { ...fourInstances[1], secretId: 'shared/code42' },
        { ...fourInstances[3], secretId: secretArn },
        fourInstances[0],
      ],
      kmsKeyArn,
    });
    const role = new aws.iam.Role('job', { assumeRolePolicy: '{}' });
    broker.grantRead(role, ['idp']);
    broker.grantRefresh(role);
    await settle();
  });

  it('grants the secrets by exact ARN or name pattern, and the one key for each use', () => {
    const guarded = auditStatements(recorded);
    assert.deepEqual([...guarded.secretsmanager].sort(), [
      mockArn('secretsmanager', 'secret:/tb/prd/cw-sandbox-AbCdEf'),
      mockArn('secretsmanager', 'secret:shared/code42-??????'),
      secretArn,
    ]);
    assert.deepEqual([...guarded.kms], [kmsKeyArn]);
    const keyUses = statementsOf(recorded)
      .filter(({ statement }) => statement.Sid === 'UseBrokerKey')
      .map(({ policy, statement }) => [policy, statement.Action, statement.Condition])
      .sort();
    const via = (...services: string[]) => ({
      StringEquals: {
        'kms:ViaService': services.map((service) => `${service}.us-east-1.amazonaws.com`),
      },
    });
    assert.deepEqual(keyUses, [
      ['kms-read-job-idp', ['kms:Decrypt'], via('ssm')],
      [
        'kms-refresher-policy',
        ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        via('ssm', 'secretsmanager', 'dynamodb'),
      ],
    ]);
    for (const { policy, statement } of statementsOf(recorded)) {
      if (list(statement.Action).some((action) => action.startsWith('kms:'))) {
        const condition = statement.Condition as { StringEquals?: Record<string, unknown> };
        assert.ok(condition?.StringEquals?.['kms:ViaService'], `${policy}: kms:ViaService`);
      }
    }
    assert.ok(
      [...guarded.ssm].every((resource) =>
        resource.startsWith(mockArn('ssm', 'parameter/tb/prd/')),
      ),
    );
  });
});
