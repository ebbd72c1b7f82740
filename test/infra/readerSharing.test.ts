import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import {
  BrokerSettingsError,
  resolveBrokerSettings,
  sharedTokens,
  TokenBroker,
} from '../../infra/components/index.ts';
import { fourInstances, kmsKeyArn, threeCredentials } from './fixtures.ts';
import {
  find,
  installMocks,
  MOCK_ACCOUNT,
  MOCK_REGION,
  mockArn,
  ofType,
  type RecordedResource,
  resolved,
  settle,
} from './pulumiMocks.ts';

const T = {
  parameter: 'pulumi-nodejs:dynamic/token-broker:TokenParameter',
  key: 'aws:kms/key:Key',
  alias: 'aws:kms/alias:Alias',
  share: 'aws:ram/resourceShare:ResourceShare',
  resource: 'aws:ram/resourceAssociation:ResourceAssociation',
  principal: 'aws:ram/principalAssociation:PrincipalAssociation',
  permission: 'aws:lambda/permission:Permission',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  role: 'aws:iam/role:Role',
} as const;

const ALICE = '111122223333';
const BOB = '444455556666';
const OU = 'arn:aws:organizations::999999999999:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56';
const READ_ONLY = 'arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSSMParameterReadOnly';
const location = {
  partition: 'aws',
  dnsSuffix: 'amazonaws.com',
  region: MOCK_REGION,
  accountId: MOCK_ACCOUNT,
};

const parameterArnOf = (name: string) => mockArn('ssm', `parameter/tb/dev/${name}`);

/** Every principal named anywhere in a policy document. */
function principalsIn(document: unknown): unknown[] {
  const statements = (document as { Statement?: { Principal?: unknown }[] }).Statement ?? [];
  return statements.flatMap((statement) =>
    statement.Principal === undefined ? [] : [statement.Principal],
  );
}

/** The (share, principal) pairs of the principal associations. */
function associations(recorded: readonly RecordedResource[]): string[] {
  return ofType(recorded, T.principal)
    .map((association) => `${association.inputs.resourceShareArn} ${association.inputs.principal}`)
    .sort();
}

describe('Component: TokenBroker, instances shared with reader accounts', () => {
  let recorded: RecordedResource[];
  let broker: TokenBroker;

  before(async () => {
    recorded = await installMocks();
    const [cw, c42, admin, idp] = fourInstances;
    broker = new TokenBroker('tb', {
      parameterPrefix: '/tb/dev',
      instances: [
        { ...cw, readerAccounts: [ALICE, BOB] },
        { ...c42, readerAccounts: [ALICE] },
        admin,
        idp,
      ],
      credentials: threeCredentials,
      allowCrossAccountRefresh: true,
    });
    await settle();
  });

  it('creates the shared token parameters Advanced under the reader key, the others as before', () => {
    const keyArn = mockArn('kms', 'key/key-id-of-tb-reader-key-key');
    const tiers = Object.fromEntries(
      ofType(recorded, T.parameter).map((parameter) => [
        parameter.inputs.name,
        [parameter.inputs.requestedTier, parameter.inputs.kmsKeyId],
      ]),
    );
    assert.deepEqual(tiers, {
      '/tb/dev/cw-sandbox': ['Advanced', keyArn],
      '/tb/dev/c42-eu5': ['Advanced', keyArn],
      '/tb/dev/c42-admin': ['Intelligent-Tiering', ''],
      '/tb/dev/idp': ['Intelligent-Tiering', ''],
    });
  });

  it('shares exactly each shared parameter, read-only, with exactly its reader accounts', () => {
    const shares = ofType(recorded, T.share);
    assert.deepEqual(
      shares.map((share) => [share.name, share.inputs]),
      [
        [
          'tb-cw-sandbox-readers-share',
          {
            name: 'token-broker/tb/dev/cw-sandbox',
            allowExternalPrincipals: true,
            permissionArns: [READ_ONLY],
            tags: { 'token-broker:instance': 'cw-sandbox' },
          },
        ],
        [
          'tb-c42-eu5-readers-share',
          {
            name: 'token-broker/tb/dev/c42-eu5',
            allowExternalPrincipals: true,
            permissionArns: [READ_ONLY],
            tags: { 'token-broker:instance': 'c42-eu5' },
          },
        ],
      ],
    );
    const shareArn = (instance: string) =>
      mockArn('ram', `resource-share/tb-${instance}-readers-share`);
    assert.deepEqual(
      ofType(recorded, T.resource).map((association) => association.inputs),
      [
        { resourceArn: parameterArnOf('cw-sandbox'), resourceShareArn: shareArn('cw-sandbox') },
        { resourceArn: parameterArnOf('c42-eu5'), resourceShareArn: shareArn('c42-eu5') },
      ],
    );
    assert.deepEqual(
      associations(recorded),
      [
        `${shareArn('c42-eu5')} ${ALICE}`,
        `${shareArn('cw-sandbox')} ${ALICE}`,
        `${shareArn('cw-sandbox')} ${BOB}`,
      ].sort(),
    );
  });

  it('creates one key whose policy lets each account decrypt only its parameters, only through SSM', () => {
    const key = find(recorded, T.key, 'tb-reader-key-key').inputs;
    assert.equal(key.enableKeyRotation, true);
    const accountStatement = (account: string, parameterArns: string[]) => ({
      Sid: `ReadSharedTokens${account}`,
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: '*',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Condition: {
        StringEquals: {
          'kms:ViaService': `ssm.${MOCK_REGION}.amazonaws.com`,
          'kms:EncryptionContext:PARAMETER_ARN': parameterArns,
        },
      },
    });
    assert.deepEqual(JSON.parse(String(key.policy)), {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'BrokerAccountAdministersAndGrants',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${MOCK_ACCOUNT}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        accountStatement(ALICE, [parameterArnOf('cw-sandbox'), parameterArnOf('c42-eu5')]),
        accountStatement(BOB, [parameterArnOf('cw-sandbox')]),
      ],
    });
    assert.deepEqual(find(recorded, T.alias, 'tb-reader-key-alias').inputs, {
      name: 'alias/token-broker-shared/tb/dev',
      targetKeyId: 'key-id-of-tb-reader-key-key',
    });
  });

  it('lets the refresher use the reader key through SSM only', () => {
    const policy = JSON.parse(
      String(find(recorded, T.rolePolicy, 'tb-refresher-policy').inputs.policy),
    );
    const statement = policy.Statement.find((s: { Sid: string }) => s.Sid === 'UseSharedTokenKey');
    assert.deepEqual(statement, {
      Sid: 'UseSharedTokenKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: [mockArn('kms', 'key/key-id-of-tb-reader-key-key')],
      Condition: { StringEquals: { 'kms:ViaService': [`ssm.${MOCK_REGION}.amazonaws.com`] } },
    });
  });

  it('adds a resource policy statement on the refresher for each reader account, and no other', () => {
    assert.deepEqual(
      ofType(recorded, T.permission).map((permission) => permission.inputs),
      [ALICE, BOB].map((account) => ({
        action: 'lambda:InvokeFunction',
        function: 'tb-refresher-function-0a1b2c3',
        principal: account,
        statementId: `TokenBrokerRefreshFrom${account}`,
      })),
    );
  });

  it('names no "*" principal in any key policy, trust policy or resource policy', () => {
    const documents = [
      ...ofType(recorded, T.key).map((key) => JSON.parse(String(key.inputs.policy))),
      ...ofType(recorded, T.role).map((role) => JSON.parse(String(role.inputs.assumeRolePolicy))),
    ];
    const principals = [
      ...documents.flatMap(principalsIn),
      ...ofType(recorded, T.permission).map((permission) => permission.inputs.principal),
      ...ofType(recorded, T.principal).map((association) => association.inputs.principal),
    ];
    assert.ok(principals.length > 0);
    assert.doesNotMatch(JSON.stringify(principals), /"\*"/);
  });

  it('exposes the shared parameters’ ARNs and the key, and only for shared instances', async () => {
    assert.deepEqual(Object.keys(broker.sharedParameterArns), ['cw-sandbox', 'c42-eu5']);
    assert.equal(
      await resolved(broker.sharedParameterArns['cw-sandbox'] as pulumi.Output<string>),
      parameterArnOf('cw-sandbox'),
    );
    assert.equal(
      await resolved(broker.sharedTokenKeyArn as pulumi.Output<string>),
      mockArn('kms', 'key/key-id-of-tb-reader-key-key'),
    );
    assert.equal(broker.readerKeyPolicyStatements, undefined);
  });

  it('returns the policy for a role in a reader account, on exactly its shared parameters', async () => {
    // Act
    const grant = broker.grantRead(`arn:aws:iam::${ALICE}:role/job`, ['cw-sandbox']);
    const all = broker.grantRead(`arn:aws:iam::${BOB}:role/job`);
    // Assess
    const expected = (arns: string[]) => ({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadSharedTokens', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: arns },
        {
          Sid: 'DecryptSharedTokens',
          Effect: 'Allow',
          Action: ['kms:Decrypt'],
          Resource: [mockArn('kms', 'key/key-id-of-tb-reader-key-key')],
          Condition: { StringEquals: { 'kms:ViaService': [`ssm.${MOCK_REGION}.amazonaws.com`] } },
        },
      ],
    });
    assert.equal(grant.accountId, ALICE);
    assert.deepEqual(
      await resolved(grant.policyDocument),
      expected([parameterArnOf('cw-sandbox')]),
    );
    assert.deepEqual(
      JSON.parse(await resolved(grant.policyJson)),
      expected([parameterArnOf('cw-sandbox')]),
    );
    assert.deepEqual(await resolved(all.policyDocument), expected([parameterArnOf('cw-sandbox')]));
  });

  it('refuses a cross-account grant on an instance not shared with that account', () => {
    assert.throws(
      () => broker.grantRead(`arn:aws:iam::${BOB}:role/job`, ['c42-eu5']),
      /instance "c42-eu5" is not shared with account 444455556666/,
    );
    assert.throws(
      () => broker.grantRead('arn:aws:iam::777777777777:role/job'),
      /no instance is shared with account 777777777777/,
    );
    assert.throws(() => broker.grantRead('job'), /is not an IAM role ARN/);
  });

  it('gives a local role reading a shared instance decrypt on the reader key through SSM', async () => {
    // Prepare
    const role = new aws.iam.Role('local-job', { assumeRolePolicy: '{}' });
    // Act
    broker.grantRead(role, ['cw-sandbox']);
    await settle();
    // Assess
    const policy = JSON.parse(
      String(find(recorded, T.rolePolicy, 'tb-read-local-job-cw-sandbox').inputs.policy),
    );
    assert.deepEqual(
      policy.Statement.map((s: { Sid: string; Resource: string[] }) => [s.Sid, s.Resource]),
      [
        ['ReadTokens', [parameterArnOf('cw-sandbox')]],
        ['UseSharedTokenKey', [mockArn('kms', 'key/key-id-of-tb-reader-key-key')]],
      ],
    );
  });
});

describe('Component: TokenBroker, no reader accounts', () => {
  it('shares nothing, creates no key and no resource policy, and keeps Intelligent-Tiering', async () => {
    // Prepare
    const recorded = await installMocks();
    // Act
    const broker = new TokenBroker('plain', {
      parameterPrefix: '/tb/dev',
      instances: fourInstances,
    });
    await settle();
    // Assess
    for (const type of [T.share, T.resource, T.principal, T.key, T.alias, T.permission]) {
      assert.equal(ofType(recorded, type).length, 0, type);
    }
    assert.deepEqual(
      new Set(ofType(recorded, T.parameter).map((parameter) => parameter.inputs.requestedTier)),
      new Set(['Intelligent-Tiering']),
    );
    assert.deepEqual(broker.sharedParameterArns, {});
    assert.equal(broker.sharedTokenKeyArn, undefined);
    assert.throws(
      () => broker.grantRead(`arn:aws:iam::${ALICE}:role/job`),
      /no instance is shared/,
    );
  });
});

describe('Component: TokenBroker, a configured key and a stack-wide organizational unit', () => {
  it('shares every instance with the OU under the configured key, and says what its policy needs', async () => {
    // Prepare
    const recorded = await installMocks();
    const [cw, ...others] = fourInstances;
    // Act
    const broker = new TokenBroker('org', {
      parameterPrefix: '/tb/dev',
      instances: [{ ...cw, readerAccounts: [ALICE] }, ...others],
      kmsKeyArn,
      readerOrganizations: [OU],
    });
    await settle();
    // Assess
    assert.equal(ofType(recorded, T.key).length, 0, 'the configured key is used');
    assert.deepEqual(
      new Set(
        ofType(recorded, T.parameter).map((p) => `${p.inputs.requestedTier} ${p.inputs.kmsKeyId}`),
      ),
      new Set([`Advanced ${kmsKeyArn}`]),
    );
    const shares = ofType(recorded, T.share);
    assert.deepEqual(
      shares.map((share) => share.inputs.allowExternalPrincipals),
      [true, false, false, false],
      'only a share with accounts admits principals outside the organization',
    );
    const shareArn = (instance: string) => mockArn('ram', `resource-share/org-${instance}-readers`);
    assert.deepEqual(
      associations(recorded),
      [
        `${shareArn('cw-sandbox')}-share ${ALICE}`,
        ...fourInstances.map((instance) => `${shareArn(instance.name)}-share ${OU}`),
      ].sort(),
    );
    assert.equal(await resolved(broker.sharedTokenKeyArn as pulumi.Output<string>), kmsKeyArn);
    const statements = await resolved(
      broker.readerKeyPolicyStatements as pulumi.Output<aws.iam.PolicyStatement[]>,
    );
    assert.deepEqual(
      statements.map((statement) => statement.Sid),
      [`ReadSharedTokens${ALICE}`, 'ReadSharedTokensouab12cd34ef56'],
    );
    assert.deepEqual(statements[1], {
      Sid: 'ReadSharedTokensouab12cd34ef56',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: '*',
      Principal: { AWS: '*' },
      Condition: {
        StringEquals: {
          'kms:ViaService': `ssm.${MOCK_REGION}.amazonaws.com`,
          'kms:EncryptionContext:PARAMETER_ARN': fourInstances.map((instance) =>
            parameterArnOf(instance.name),
          ),
        },
        'ForAnyValue:StringLike': {
          'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/*/ou-ab12-cd34ef56/*'],
        },
      },
    });
  });
});

describe('Function: sharedTokens', () => {
  it('throws naming the instance when it lists the broker’s own account', () => {
    // Prepare
    const { config } = resolveBrokerSettings({
      parameterPrefix: '/tb/dev',
      instances: [{ ...fourInstances[3], readerAccounts: [MOCK_ACCOUNT] }],
    });
    // Act & Assess
    assert.throws(
      () => sharedTokens(config.instances, '/tb/dev', location),
      /instance "idp": readerAccounts lists 123456789012, the broker's own account/,
    );
  });
});

describe('Function: resolveBrokerSettings (readers)', () => {
  const keysOf = (input: unknown) => {
    try {
      resolveBrokerSettings(input, 'token-broker:');
    } catch (error) {
      if (error instanceof BrokerSettingsError) return error.message;
      throw error;
    }
    return 'accepted';
  };

  it('names a stack-wide readerOrganizations entry that is not an organization or OU ARN', () => {
    const message = keysOf({
      parameterPrefix: '/tb/dev',
      instances: fourInstances,
      readerOrganizations: [OU, 'o-a1b2c3d4e5'],
    });
    assert.match(message, /token-broker:readerOrganizations\[1\]: must be an organization ARN/);
    assert.doesNotMatch(message, /readerOrganizations\[0\]/);
  });

  it('names each bad readerAccounts entry of the instances', () => {
    const message = keysOf({
      parameterPrefix: '/tb/dev',
      instances: [
        { ...fourInstances[3], readerAccounts: ['1111-2222-3333'] },
        { ...fourInstances[1], readerAccounts: [ALICE, ALICE] },
        { ...fourInstances[2], readerAccounts: [] },
      ],
    });
    assert.match(
      message,
      /token-broker:instances\[0\]\.readerAccounts\[0\]: must be a 12-digit AWS account ID/,
    );
    assert.match(message, /token-broker:instances\[1\]\.readerAccounts: lists a value twice/);
    assert.match(message, /token-broker:instances\[2\]\.readerAccounts: must list at least one/);
  });

  it('refuses allowCrossAccountRefresh when no instance lists reader accounts', () => {
    const message = keysOf({
      parameterPrefix: '/tb/dev',
      instances: fourInstances,
      readerOrganizations: [OU],
      allowCrossAccountRefresh: true,
    });
    assert.match(
      message,
      /token-broker:allowCrossAccountRefresh: no instance lists readerAccounts/,
    );
  });

  it('adds the stack-wide organizations to every instance of the configuration document', () => {
    const { config, crossAccountRefreshAccounts } = resolveBrokerSettings({
      parameterPrefix: '/tb/dev',
      instances: [
        { ...fourInstances[3], readerAccounts: [ALICE], readerOrganizations: [OU] },
        fourInstances[1],
      ],
      readerOrganizations: [OU],
    });
    assert.deepEqual(
      config.instances.map((instance) => [instance.readerAccounts, instance.readerOrganizations]),
      [
        [[ALICE], [OU]],
        [undefined, [OU]],
      ],
    );
    assert.deepEqual(crossAccountRefreshAccounts, []);
  });
});
