import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as pulumi from '@pulumi/pulumi';
import { BundledFunction, logsPolicy, packageFile } from '../../infra/components/index.ts';
import {
  aliasUrns,
  find,
  installMocks,
  MOCK_ACCOUNT,
  mockArn,
  type RecordedResource,
  recordOptions,
  resolved,
  type SeenResource,
  settle,
} from './pulumiMocks.ts';

const T = {
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  function: 'aws:lambda/function:Function',
} as const;

const args = {
  entry: packageFile('test/infra/bundleFixtureEntry.ts'),
  description: 'fixture function',
  roleDescription: 'fixture role',
  memorySize: 256,
  timeout: 60,
  variables: { FIXTURE_NAME: 'idp', FIXTURE_PREFIX: pulumi.output('/tb/dev') },
  logRetentionDays: 14,
};

/** The files of a recorded function's deployment archive, by name. */
async function archiveFiles(fn: RecordedResource): Promise<string[]> {
  const archive = fn.inputs.code as pulumi.asset.AssetArchive;
  assert.ok(pulumi.asset.Archive.isInstance(archive));
  return Object.keys(await archive.assets).sort();
}

describe('Component: BundledFunction, with the default policy', () => {
  let recorded: RecordedResource[];
  let bundled: BundledFunction;
  const seen: SeenResource[] = [];
  let parent: pulumi.ComponentResource;

  before(async () => {
    recorded = await installMocks();
    parent = new pulumi.ComponentResource(
      'test:index:Owner',
      'owner',
      {},
      {
        transformations: [recordOptions(seen)],
      },
    );
    bundled = new BundledFunction('fx', args, { parent });
    await settle();
  });

  it('gives the function its own role, which only Lambda may assume', () => {
    // Act
    const role = find(recorded, T.role, 'fx-role').inputs;
    // Assess
    assert.equal(role.description, 'fixture role');
    assert.deepEqual(JSON.parse(String(role.assumeRolePolicy)), {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    });
  });

  it('lets the role write to its own log group, by exact ARN, and nothing else', async () => {
    // Act
    const policy = find(recorded, T.rolePolicy, 'fx-logs').inputs;
    // Assess
    const logGroupArn = mockArn('logs', 'log-group:fx-logs-0a1b2c3');
    assert.equal(policy.role, 'fx-role-0a1b2c3');
    assert.deepEqual(JSON.parse(String(policy.policy)), {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [`${logGroupArn}:*`],
        },
      ],
    });
    assert.equal(await resolved(bundled.policyDocument), policy.policy);
  });

  it('keeps its logs in a log group with the retention given', () => {
    // Act
    const logGroup = find(recorded, T.logGroup, 'fx-logs').inputs;
    const fn = find(recorded, T.function, 'fx-function').inputs;
    // Assess
    assert.equal(logGroup.retentionInDays, 14);
    assert.deepEqual(fn.loggingConfig, { logFormat: 'Text', logGroup: 'fx-logs-0a1b2c3' });
  });

  it('runs the bundle on Node.js 24, arm64, as the role, sized as given', () => {
    // Act
    const fn = find(recorded, T.function, 'fx-function').inputs;
    // Assess
    assert.equal(fn.description, 'fixture function');
    assert.equal(fn.handler, 'index.handler');
    assert.equal(fn.runtime, 'nodejs24.x');
    assert.deepEqual(fn.architectures, ['arm64']);
    assert.equal(fn.role, `arn:aws:iam::${MOCK_ACCOUNT}:role/fx-role-0a1b2c3`);
    assert.deepEqual([fn.memorySize, fn.timeout], [256, 60]);
    assert.equal(fn.reservedConcurrentExecutions, undefined);
  });

  it('adds source-mapped stack traces to the caller’s environment', () => {
    // Act
    const fn = find(recorded, T.function, 'fx-function').inputs;
    // Assess
    assert.deepEqual((fn.environment as { variables: object }).variables, {
      FIXTURE_NAME: 'idp',
      FIXTURE_PREFIX: '/tb/dev',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('ships the bundle and its source map, and no other file', async () => {
    // Act
    const files = await archiveFiles(find(recorded, T.function, 'fx-function'));
    // Assess
    assert.deepEqual(files, ['index.mjs', 'index.mjs.map']);
  });

  it('aliases each resource to its URN as a child of the component’s parent', async () => {
    // Act
    const children = seen.filter((resource) => resource.opts.parent === bundled);
    // Assess
    assert.deepEqual(
      children.map(({ type, name }) => [type, name]).sort(),
      [
        [T.logGroup, 'fx-logs'],
        [T.role, 'fx-role'],
        [T.rolePolicy, 'fx-logs'],
        [T.function, 'fx-function'],
      ].sort(),
    );
    for (const child of children) {
      assert.deepEqual(await aliasUrns(child), [
        `urn:pulumi:test::token-broker::test:index:Owner$${child.type}::${child.name}`,
      ]);
    }
  });
});

describe('Component: BundledFunction, with the caller’s policy, files and concurrency', () => {
  let recorded: RecordedResource[];
  let bundled: BundledFunction;
  const seen: SeenResource[] = [];

  before(async () => {
    recorded = await installMocks();
    bundled = new BundledFunction(
      'fx',
      {
        ...args,
        files: { 'config.json': '{"instances":[]}' },
        reservedConcurrentExecutions: 2,
        variables: { NODE_OPTIONS: '--max-old-space-size=128', FIXTURE_NAME: 'idp' },
        policy: {
          suffix: 'policy',
          document: (logGroupArn) =>
            logGroupArn.apply((arn) => JSON.stringify({ ...logsPolicy(arn), Id: 'fixture' })),
        },
      },
      { transformations: [recordOptions(seen)] },
    );
    await settle();
  });

  it('attaches the caller’s document, built for the function’s log group, under its suffix', async () => {
    // Act
    const policy = find(recorded, T.rolePolicy, 'fx-policy').inputs;
    // Assess
    assert.equal(policy.role, 'fx-role-0a1b2c3');
    assert.deepEqual(JSON.parse(String(policy.policy)), {
      ...logsPolicy(mockArn('logs', 'log-group:fx-logs-0a1b2c3')),
      Id: 'fixture',
    });
    assert.equal(await resolved(bundled.policyDocument), policy.policy);
    assert.equal(
      recorded.some((resource) => resource.type === T.rolePolicy && resource.name === 'fx-logs'),
      false,
    );
  });

  it('adds the extra files next to the bundle and reserves the concurrency given', async () => {
    // Act
    const fn = find(recorded, T.function, 'fx-function');
    // Assess
    assert.deepEqual(await archiveFiles(fn), ['config.json', 'index.mjs', 'index.mjs.map']);
    assert.equal(fn.inputs.reservedConcurrentExecutions, 2);
  });

  it('sets NODE_OPTIONS over the caller’s, keeping the other variables', () => {
    // Act
    const fn = find(recorded, T.function, 'fx-function').inputs;
    // Assess
    assert.deepEqual((fn.environment as { variables: object }).variables, {
      NODE_OPTIONS: '--enable-source-maps',
      FIXTURE_NAME: 'idp',
    });
  });

  it('without a parent, aliases each resource to its URN at the stack’s top level', async () => {
    // Act
    const children = seen.filter((resource) => resource.opts.parent === bundled);
    // Assess
    assert.equal(children.length, 4);
    for (const child of children) {
      assert.deepEqual(await aliasUrns(child), [
        `urn:pulumi:test::token-broker::${child.type}::${child.name}`,
      ]);
    }
  });
});
