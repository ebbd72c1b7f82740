import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as pulumi from '@pulumi/pulumi';
import {
  deployerPolicy,
  deployerStatementsByType,
  isComponentType,
  MANAGED_POLICY_LIMIT,
} from '../../infra/deployerPolicy.ts';
import { parseBrokerConfig } from '../../lambdas/config/index.ts';
import { runCli } from '../support/runCli.ts';
import { writeTempJson } from '../support/writeTempJson.ts';
import { fourInstances, kmsKeyArn, threeCredentials } from './fixtures.ts';
import {
  installMocks,
  MOCK_ACCOUNT,
  MOCK_REGION,
  type RecordedResource,
  settle,
} from './pulumiMocks.ts';

const instances = [
  ...fourInstances,
  {
    name: 'partner',
    type: 'oauth2-client-credentials',
    tokenUrl: 'https://auth.partner.example.com/oauth/token',
    secretId: 'shared/partner-api',
  },
];
const config = parseBrokerConfig({ parameterPrefix: '/tb/dev', instances }, 'test');
const location = {
  partition: 'aws',
  region: MOCK_REGION,
  accountId: MOCK_ACCOUNT,
  dnsSuffix: 'amazonaws.com',
};

interface Statement {
  Sid: string;
  Action: string[];
  Resource: string[];
}

/** Whether an IAM resource pattern (`*` any run, `?` one character) matches an ARN. */
function matches(pattern: string, arn: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(arn);
}

/** The mocks' physical name of a resource (pulumiMocks.ts): its `name` input, else an autoname. */
const physical = (resource: RecordedResource) =>
  typeof resource.inputs.name === 'string' ? resource.inputs.name : `${resource.name}-0a1b2c3`;
const regional = (service: string, rest: string) =>
  `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${rest}`;

/** The ARN AWS would give a recorded resource, for the types whose ARN the deployer needs. */
const arnOf: Record<string, (resource: RecordedResource) => string> = {
  'aws:iam/role:Role': (r) => `arn:aws:iam::${MOCK_ACCOUNT}:role/${physical(r)}`,
  'aws:iam/rolePolicy:RolePolicy': (r) => `arn:aws:iam::${MOCK_ACCOUNT}:role/${r.inputs.role}`,
  'aws:secretsmanager/secret:Secret': (r) =>
    regional('secretsmanager', `secret:${physical(r)}-AbCdEf`),
  'pulumi-nodejs:dynamic/token-broker:TokenParameter': (r) =>
    regional('ssm', `parameter${r.inputs.name}`),
  'aws:lambda/function:Function': (r) => regional('lambda', `function:${physical(r)}`),
  'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig': (r) =>
    regional('lambda', `function:${r.inputs.functionName}`),
  'aws:lambda/invocation:Invocation': (r) =>
    regional('lambda', `function:${r.inputs.functionName}`),
  'aws:cloudwatch/logGroup:LogGroup': (r) => regional('logs', `log-group:${physical(r)}`),
  'aws:sqs/queue:Queue': (r) => regional('sqs', physical(r)),
  'aws:sns/topic:Topic': (r) => regional('sns', physical(r)),
  'aws:sns/topicSubscription:TopicSubscription': (r) => String(r.inputs.topic),
  'aws:cloudwatch/metricAlarm:MetricAlarm': (r) => regional('cloudwatch', `alarm:${physical(r)}`),
  'aws:cloudwatch/dashboard:Dashboard': (r) =>
    `arn:aws:cloudwatch::${MOCK_ACCOUNT}:dashboard/${r.inputs.dashboardName}`,
  'aws:scheduler/schedule:Schedule': (r) =>
    regional('scheduler', `schedule/default/${physical(r)}`),
  'aws:dynamodb/table:Table': (r) => regional('dynamodb', `table/${physical(r)}`),
};

/** The ARN a statement about another resource is for: the role a resource passes, the key. */
const relatedArnOf: Record<string, (resource: RecordedResource) => string> = {
  PassTheStackRoles: (r) =>
    r.type === 'aws:iam/role:Role'
      ? `arn:aws:iam::${MOCK_ACCOUNT}:role/${physical(r)}`
      : String(r.inputs.role ?? (r.inputs.target as { roleArn?: string } | undefined)?.roleArn),
  UseTheStackKey: () => kmsKeyArn,
};

describe('Function: deployerPolicy', () => {
  let recorded: RecordedResource[];
  let statements: Statement[];
  before(async () => {
    recorded = await installMocks();
    pulumi.runtime.setAllConfig(
      {
        'aws:region': MOCK_REGION,
        'token-broker:parameterPrefix': '/tb/dev',
        'token-broker:instances': JSON.stringify(instances),
        'token-broker:credentials': JSON.stringify(threeCredentials),
        'token-broker:kmsKeyArn': kmsKeyArn,
        'token-broker:alarmEmail': 'ops@example.org',
        'token-broker:exampleConsumer': 'true',
      },
      ['token-broker:credentials'],
    );
    await import(`../../infra/index.ts?${'deployer-policy'}`);
    await settle();
    statements = deployerPolicy({ config, location, kmsKeyArn }).Statement as Statement[];
  });

  it('maps every resource type the program creates to the actions that manage it', () => {
    // Act
    const types = new Set(recorded.map((resource) => resource.type));
    const unmapped = [...types].filter(
      (type) => !isComponentType(type) && deployerStatementsByType[type] === undefined,
    );
    // Assess
    assert.ok(types.size > 15, `only ${types.size} types recorded`);
    assert.deepEqual(unmapped, [], 'add these types to deployerStatementsByType');
  });

  it("grants each created resource its type's actions on a pattern that matches its ARN", () => {
    // Prepare
    const uncovered: string[] = [];
    // Act
    for (const resource of recorded) {
      for (const wanted of deployerStatementsByType[resource.type] ?? []) {
        const arn = (relatedArnOf[wanted.Sid] ?? arnOf[resource.type])?.(resource);
        for (const action of wanted.Action) {
          const granted = statements.some(
            (statement) =>
              statement.Action.includes(action) &&
              (arn === undefined || statement.Resource.some((pattern) => matches(pattern, arn))),
          );
          if (!granted) uncovered.push(`${action} on ${arn ?? resource.type} (${resource.name})`);
        }
      }
    }
    // Assess
    assert.deepEqual(uncovered, []);
  });

  it('names the KMS key exactly, and no secret the stack does not create', () => {
    // Act
    const key = statements.find((statement) => statement.Sid === 'UseTheStackKey');
    const secrets = statements.find((statement) => statement.Sid === 'ManageTheStackSecrets');
    // Assess
    assert.deepEqual(key?.Resource, [kmsKeyArn]);
    assert.equal(secrets?.Resource.length, 5 - 1);
    assert.ok(secrets?.Resource.every((arn) => arn.includes(':secret:/tb/dev/')));
  });

  it('uses "*" only for ssm:DescribeParameters, which has no resource-level permissions', () => {
    // Act
    const unscoped = statements.filter((statement) => statement.Resource.includes('*'));
    // Assess
    assert.deepEqual(
      unscoped.map((statement) => statement.Action),
      [['ssm:DescribeParameters']],
    );
    assert.ok(
      statements.every((statement) =>
        statement.Resource.every((arn) => arn === '*' || arn.startsWith('arn:aws:')),
      ),
    );
  });

  it('leaves the KMS statement out without a customer-managed key', () => {
    // Act
    const policy = deployerPolicy({ config, location });
    // Assess
    assert.ok(
      !(policy.Statement as Statement[]).some((statement) => statement.Sid === 'UseTheStackKey'),
    );
  });

  it("scopes a fleet too large to list by the stack's prefix, within IAM's managed-policy size", () => {
    // Prepare
    const many = parseBrokerConfig(
      {
        parameterPrefix: '/tb/prod',
        instances: Array.from({ length: 300 }, (_, index) => ({
          name: `idp-${index}`,
          type: 'oauth2-client-credentials',
          tokenUrl: 'https://idp.example.org/t',
        })),
      },
      'test',
    );
    // Act
    const policy = deployerPolicy({ config: many, location });
    // Assess
    const text = JSON.stringify(policy);
    assert.ok(text.length <= MANAGED_POLICY_LIMIT, `${text.length} characters`);
    assert.match(text, /"arn:aws:ssm:us-east-1:123456789012:parameter\/tb\/prod\/\*"/);
    assert.match(text, /"arn:aws:secretsmanager:us-east-1:123456789012:secret:\/tb\/prod\/\*"/);
  });
});

describe('Command: deployer-policy', () => {
  it('prints the policy for the stack of a --config file', async () => {
    // Prepare
    const file = await writeTempJson('broker.json', { parameterPrefix: '/tb/dev', instances });
    // Act
    const run = await runCli([
      'deployer-policy',
      '--config',
      file,
      '--account',
      MOCK_ACCOUNT,
      '--region',
      'eu-west-1',
      '--kms-key-arn',
      kmsKeyArn,
    ]);
    // Assess
    assert.equal(run.code, 0, run.stderr);
    const printed = JSON.parse(run.stdout);
    assert.deepEqual(
      printed,
      deployerPolicy({
        config,
        location: { ...location, region: 'eu-west-1' },
        kmsKeyArn,
      }),
    );
    assert.equal(run.stderr, '');
  });

  for (const [args, message] of [
    [['--account', '12345'], /--account must be a 12-digit AWS account id/],
    [
      ['--account', MOCK_ACCOUNT, '--region', 'Europe'],
      /--region \(or AWS_REGION\) must be an AWS region/,
    ],
    [
      ['--account', MOCK_ACCOUNT, '--kms-key-arn', 'alias/tb'],
      /--kms-key-arn must be the full ARN of a KMS key/,
    ],
  ] as const) {
    it(`exits 2 for ${args.join(' ')}`, async () => {
      // Prepare
      const file = await writeTempJson('broker.json', { parameterPrefix: '/tb/dev', instances });
      // Act
      const run = await runCli(['deployer-policy', '--config', file, ...args], {
        env: { AWS_REGION: 'eu-west-1' },
      });
      // Assess
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /Run "token-broker deployer-policy --help"\./);
    });
  }
});
