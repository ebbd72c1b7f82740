import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as pulumi from '@pulumi/pulumi';
import { BrokerSettingsError, statusPolicy, TokenBroker } from '../../infra/components/index.ts';
import { RefresherEnvironment, RefresherMetrics } from '../../lambdas/refresher/contract.ts';
import { fourInstances, kmsKeyArn, threeCredentials } from './fixtures.ts';
import {
  find,
  installMocks,
  MOCK_ACCOUNT,
  mockArn,
  ofType,
  type RecordedResource,
  resolved,
  settle,
} from './pulumiMocks.ts';

const T = {
  secret: 'aws:secretsmanager/secret:Secret',
  secretVersion: 'aws:secretsmanager/secretVersion:SecretVersion',
  parameter: 'pulumi-nodejs:dynamic/token-broker:TokenParameter',
  function: 'aws:lambda/function:Function',
  invokeConfig: 'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig',
  invocation: 'aws:lambda/invocation:Invocation',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  schedule: 'aws:scheduler/schedule:Schedule',
  queue: 'aws:sqs/queue:Queue',
  alarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  topic: 'aws:sns/topic:Topic',
  subscription: 'aws:sns/topicSubscription:TopicSubscription',
  dashboard: 'aws:cloudwatch/dashboard:Dashboard',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  table: 'aws:dynamodb/table:Table',
} as const;

describe('Component: TokenBroker, four provider types, all options on', () => {
  let recorded: RecordedResource[];
  let broker: TokenBroker;

  before(async () => {
    recorded = await installMocks();
    broker = new TokenBroker('tb', {
      parameterPrefix: '/tb/dev',
      instances: fourInstances,
      credentials: threeCredentials,
      alarmEmail: 'ops@example.org',
      exampleConsumer: true,
    });
    await settle();
  });

  it('creates a secret named {prefix}/{name} and a token parameter per instance', () => {
    for (const instance of fourInstances) {
      const secret = find(recorded, T.secret, `tb-${instance.name}-credentials`);
      assert.equal(secret.inputs.name, `/tb/dev/${instance.name}`);
      assert.equal(secret.inputs.recoveryWindowInDays, 7);
      assert.equal(secret.inputs.kmsKeyId, undefined);
      const parameter = find(recorded, T.parameter, `tb-${instance.name}-token`);
      assert.equal(parameter.inputs.name, `/tb/dev/${instance.name}`);
      assert.ok(!('lockName' in parameter.inputs), 'no lock parameter');
      assert.equal(parameter.inputs.region, 'us-east-1');
      assert.equal(parameter.inputs.kmsKeyId, '');
      assert.equal(typeof parameter.inputs.__provider, 'string');
    }
    assert.equal(ofType(recorded, T.secret).length, 4);
    assert.equal(ofType(recorded, T.parameter).length, 4);
  });

  it('creates the state table named by the config, on demand, keyed by instance, AWS owned key', () => {
    const table = find(recorded, T.table, 'tb-state');
    assert.equal(broker.settings.config.stateTable, 'tb-dev-state');
    assert.deepEqual(table.inputs, {
      name: 'tb-dev-state',
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'instance',
      attributes: [{ name: 'instance', type: 'S' }],
      tags: { 'token-broker:parameterPrefix': '/tb/dev' },
    });
    assert.equal(ofType(recorded, T.table).length, 1);
  });

  it('writes a secret value only for instances with credentials', () => {
    assert.deepEqual(
      ofType(recorded, T.secretVersion)
        .map((version) => version.name)
        .sort(),
      [
        'tb-c42-eu5-credentials-value',
        'tb-cw-sandbox-credentials-value',
        'tb-idp-credentials-value',
      ],
    );
    assert.equal(
      find(recorded, T.secretVersion, 'tb-idp-credentials-value').inputs.secretId,
      'tb-idp-credentials-id',
    );
    assert.deepEqual(broker.pendingCredentials, ['c42-admin']);
  });

  it('deploys the bundled refresher on Node.js 24, arm64, sized and configured', async () => {
    const fn = find(recorded, T.function, 'tb-refresher-function');
    assert.equal(fn.inputs.runtime, 'nodejs24.x');
    assert.deepEqual(fn.inputs.architectures, ['arm64']);
    assert.equal(fn.inputs.handler, 'index.handler');
    assert.equal(fn.inputs.memorySize, 256);
    assert.equal(fn.inputs.timeout, 95);
    assert.equal(fn.inputs.reservedConcurrentExecutions, 2);
    assert.equal(fn.inputs.role, `arn:aws:iam::${MOCK_ACCOUNT}:role/tb-refresher-role-0a1b2c3`);
    const code = fn.inputs.code as pulumi.asset.AssetArchive;
    assert.ok(pulumi.asset.Archive.isInstance(code));
    const assets = (await code.assets) as Record<string, pulumi.asset.StringAsset>;
    assert.deepEqual(Object.keys(assets).sort(), ['index.mjs', 'index.mjs.map']);
    const source = (await assets['index.mjs']?.text) ?? '';
    assert.ok(source.length > 10_000, 'the SDK is bundled');
    assert.ok(source.length / source.split('\n').length > 2000, 'the bundle is minified');
    assert.match(source, /\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
    assert.deepEqual(JSON.parse(variables[RefresherEnvironment.config] ?? ''), {
      parameterPrefix: '/tb/dev',
      instances: fourInstances,
      stateTable: 'tb-dev-state',
      ssmThroughput: 'standard',
    });
    assert.equal(variables[RefresherEnvironment.scheduleSeconds], '60');
    assert.equal(variables[RefresherEnvironment.kmsKeyId], undefined);
    assert.deepEqual(fn.inputs.loggingConfig, {
      logFormat: 'Text',
      logGroup: 'tb-refresher-logs-0a1b2c3',
    });
    assert.equal(find(recorded, T.logGroup, 'tb-refresher-logs').inputs.retentionInDays, 30);
  });

  it('sends failed asynchronous invocations to the dead-letter queue without retrying', () => {
    const config = find(recorded, T.invokeConfig, 'tb-refresher-async');
    assert.equal(config.inputs.functionName, 'tb-refresher-function-0a1b2c3');
    assert.equal(config.inputs.maximumRetryAttempts, 0);
    assert.equal(config.inputs.maximumEventAgeInSeconds, 60);
    assert.deepEqual(config.inputs.destinationConfig, {
      onFailure: { destination: mockArn('sqs', 'tb-dead-letters-0a1b2c3') },
    });
    assert.equal(
      find(recorded, T.queue, 'tb-dead-letters').inputs.messageRetentionSeconds,
      1_209_600,
    );
  });

  it('schedules the refresher with its own role, a retry policy and the dead-letter queue', () => {
    const schedule = find(recorded, T.schedule, 'tb-schedule-schedule');
    assert.equal(schedule.inputs.scheduleExpression, 'rate(1 minute)');
    assert.deepEqual(schedule.inputs.flexibleTimeWindow, { mode: 'OFF' });
    assert.deepEqual(schedule.inputs.target, {
      arn: mockArn('lambda', 'function:tb-refresher-function-0a1b2c3'),
      roleArn: `arn:aws:iam::${MOCK_ACCOUNT}:role/tb-schedule-role-0a1b2c3`,
      input: '{}',
      retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 60 },
      deadLetterConfig: { arn: mockArn('sqs', 'tb-dead-letters-0a1b2c3') },
    });
  });

  it('alarms on failed runs, dead letters, any token near expiry and no success in two intervals', () => {
    const topicArn = mockArn('sns', 'tb-alarms-topic-0a1b2c3');
    const alarms = ofType(recorded, T.alarm);
    assert.deepEqual(alarms.map((alarm) => alarm.name).sort(), [
      'tb-alarms-dead-letters',
      'tb-alarms-expiry',
      'tb-alarms-no-success',
      'tb-alarms-refresh-failed',
    ]);
    for (const alarm of alarms) {
      assert.deepEqual(alarm.inputs.alarmActions, [topicArn], alarm.name);
      assert.deepEqual(alarm.inputs.okActions, [topicArn], alarm.name);
    }
    const failed = find(recorded, T.alarm, 'tb-alarms-refresh-failed').inputs;
    assert.deepEqual(
      [failed.namespace, failed.metricName, failed.dimensions, failed.threshold],
      ['AWS/Lambda', 'Errors', { FunctionName: 'tb-refresher-function-0a1b2c3' }, 1],
    );
    const dead = find(recorded, T.alarm, 'tb-alarms-dead-letters').inputs;
    assert.deepEqual(
      [dead.namespace, dead.metricName, dead.dimensions],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: 'tb-dead-letters-0a1b2c3' }],
    );
    const expiry = find(recorded, T.alarm, 'tb-alarms-expiry').inputs;
    assert.deepEqual(expiry.metricQueries, [
      {
        id: 'expiry',
        expression: `SELECT MIN("SecondsToExpiry") FROM SCHEMA("TokenBroker", "Instance", "service") WHERE "service" = 'token-broker/tb/dev' GROUP BY "Instance" ORDER BY MIN() ASC LIMIT 500`,
        period: 60,
        returnData: true,
      },
    ]);
    assert.deepEqual(
      [
        expiry.threshold,
        expiry.comparisonOperator,
        expiry.evaluationPeriods,
        expiry.treatMissingData,
      ],
      [60, 'LessThanThreshold', 1, 'missing'],
    );
    for (const key of ['namespace', 'metricName', 'dimensions', 'statistic', 'period']) {
      assert.equal(expiry[key], undefined, `a query alarm has no ${key}`);
    }
    const none = find(recorded, T.alarm, 'tb-alarms-no-success').inputs;
    assert.equal(none.metricName, RefresherMetrics.cycleSucceeded);
    assert.deepEqual(none.dimensions, { service: 'token-broker/tb/dev' });
    assert.equal(none.period, 120);
    assert.equal(none.treatMissingData, 'breaching');
    const subscription = find(recorded, T.subscription, 'tb-alarms-email').inputs;
    assert.deepEqual(subscription, {
      topic: topicArn,
      protocol: 'email',
      endpoint: 'ops@example.org',
    });
  });

  it('draws seconds to expiry, outcomes, login latency, deferred and pending per instance', () => {
    const dashboard = find(recorded, T.dashboard, 'tb-dashboard').inputs;
    assert.equal(dashboard.dashboardName, 'tb-dev-us-east-1');
    const body = JSON.parse(String(dashboard.dashboardBody)) as {
      widgets: { properties: { title: string; metrics: unknown[][] } }[];
    };
    const titles = body.widgets.map((widget) => widget.properties.title);
    assert.deepEqual(titles, [
      'Seconds to token expiry',
      'Refresh outcomes',
      'Login latency (ms)',
      'Deferred and pending',
      'Refresher',
    ]);
    const expiryLines = body.widgets[0]?.properties.metrics ?? [];
    assert.deepEqual(
      expiryLines.map((line) => line.slice(0, 6)),
      fourInstances.map((instance) => [
        'TokenBroker',
        'SecondsToExpiry',
        'service',
        'token-broker/tb/dev',
        'Instance',
        instance.name,
      ]),
    );
    assert.equal(body.widgets[2]?.properties.metrics.length, 4);
    const backlog = body.widgets[3]?.properties.metrics ?? [];
    assert.deepEqual(
      backlog.map((line) => [line[1], line[5]]),
      [
        ...fourInstances.map((instance) => [RefresherMetrics.refreshDeferred, instance.name]),
        ...fourInstances.map((instance) => [RefresherMetrics.credentialsPending, instance.name]),
      ],
    );
  });

  it('runs a forced first refresh of the instances with credentials, after everything else', () => {
    const invocation = find(recorded, T.invocation, 'tb-initial-refresh');
    // Registered after everything the run needs; only the example consumer's own grants, whose
    // policy documents resolve asynchronously, may come later (the refresher never uses them).
    const later = recorded.slice(recorded.indexOf(invocation) + 1);
    assert.ok(
      later.every(
        (resource) =>
          resource.type === 'aws:iam/rolePolicy:RolePolicy' &&
          resource.name.includes('example-consumer'),
      ),
      `registered after it: ${later.map((resource) => resource.name).join(', ')}`,
    );
    assert.equal(invocation.inputs.functionName, 'tb-refresher-function-0a1b2c3');
    assert.deepEqual(JSON.parse(String(invocation.inputs.input)), {
      names: ['cw-sandbox', 'c42-eu5', 'idp'],
      force: true,
    });
    const triggers = invocation.inputs.triggers as Record<string, string>;
    assert.equal(triggers.config, JSON.stringify(broker.settings.config));
    assert.equal(
      triggers.credentials,
      'version-of-tb-cw-sandbox-credentials-value,version-of-tb-c42-eu5-credentials-value,,version-of-tb-idp-credentials-value',
    );
  });

  it('summarises the first refresh by outcome', async () => {
    assert.ok(broker.firstRefresh);
    assert.deepEqual(await resolved(broker.firstRefresh), {
      skipped: 0,
      refreshed: 3,
      failed: 0,
      deferred: 0,
      pending: 0,
    });
  });

  it('deploys the example consumer with the reader environment, granted read and refresh', () => {
    const consumer = find(recorded, T.function, 'tb-example-consumer-function').inputs;
    assert.equal(consumer.runtime, 'nodejs24.x');
    assert.deepEqual((consumer.environment as { variables: object }).variables, {
      TOKEN_BROKER_PARAMETER_PREFIX: '/tb/dev',
      TOKEN_BROKER_REFRESHER_FUNCTION: 'tb-refresher-function-0a1b2c3',
      EXAMPLE_INSTANCE: 'cw-sandbox',
      NODE_OPTIONS: '--enable-source-maps',
    });
    const read = find(recorded, T.rolePolicy, 'tb-read-tb-example-consumer-role').inputs;
    assert.equal(read.role, 'tb-example-consumer-role-0a1b2c3');
    const refresh = find(recorded, T.rolePolicy, 'tb-refresh-tb-example-consumer-role').inputs;
    assert.equal(refresh.role, 'tb-example-consumer-role-0a1b2c3');
  });

  it('exposes parameter names and secret ARNs per instance', async () => {
    assert.deepEqual(broker.parameterNames, {
      'cw-sandbox': '/tb/dev/cw-sandbox',
      'c42-eu5': '/tb/dev/c42-eu5',
      'c42-admin': '/tb/dev/c42-admin',
      idp: '/tb/dev/idp',
    });
    assert.equal(
      await resolved(broker.secretArns.idp as pulumi.Output<string>),
      mockArn('secretsmanager', 'secret:/tb/dev/idp-AbCdEf'),
    );
  });
});

describe('Component: TokenBroker, edge configurations', () => {
  it('uses existing secrets by name or ARN, a customer key, and no topic without an email', async () => {
    // Prepare: the refresher defers one instance and finds the other's existing secret empty
    const recorded = await installMocks(([deferred, pending]) => [
      { name: deferred ?? '', outcome: 'deferred', reason: 'no time left in this run' },
      { name: pending ?? '', outcome: 'pending' },
    ]);
    const secretArn = mockArn('secretsmanager', 'secret:shared/idp-Zz9Yy8');
    // Act
    const broker = new TokenBroker('edge', {
      parameterPrefix: '/tb/prd',
      instances: [
        { ...fourInstances[1], secretId: 'shared/code42' },
        { ...fourInstances[3], secretId: secretArn },
      ],
      kmsKeyArn,
      reservedConcurrency: -1,
      refresherMemoryMb: 1024,
      refresherTimeoutSeconds: 300,
      scheduleRate: '10 minutes',
      logRetentionDays: 365,
      secretRecoveryDays: 0,
      stateTable: 'shared-token-state',
    });
    await settle();
    // Assess
    assert.equal(ofType(recorded, T.secret).length, 0);
    assert.equal(ofType(recorded, T.secretVersion).length, 0);
    assert.equal(ofType(recorded, T.topic).length, 0);
    assert.equal(ofType(recorded, 'token-broker:index:ExampleConsumer').length, 0);
    assert.equal(
      await resolved(broker.secretArns['c42-eu5'] as pulumi.Output<string>),
      mockArn('secretsmanager', 'secret:shared/code42-??????'),
    );
    assert.equal(await resolved(broker.secretArns.idp as pulumi.Output<string>), secretArn);
    for (const alarm of ofType(recorded, T.alarm))
      assert.equal(alarm.inputs.alarmActions, undefined);
    const fn = find(recorded, T.function, 'edge-refresher-function').inputs;
    assert.equal(fn.reservedConcurrentExecutions, undefined);
    assert.equal(fn.memorySize, 1024);
    assert.equal(fn.timeout, 300);
    const variables = (fn.environment as { variables: Record<string, string> }).variables;
    assert.equal(variables[RefresherEnvironment.kmsKeyId], kmsKeyArn);
    assert.equal(variables[RefresherEnvironment.scheduleSeconds], '600');
    assert.equal(find(recorded, T.parameter, 'edge-idp-token').inputs.kmsKeyId, kmsKeyArn);
    assert.equal(
      find(recorded, T.schedule, 'edge-schedule-schedule').inputs.scheduleExpression,
      'rate(10 minutes)',
    );
    assert.equal(find(recorded, T.logGroup, 'edge-refresher-logs').inputs.retentionInDays, 365);
    assert.equal(find(recorded, T.alarm, 'edge-alarms-no-success').inputs.period, 1200);
    const invocation = find(recorded, T.invocation, 'edge-initial-refresh').inputs;
    assert.deepEqual(JSON.parse(String(invocation.input)).names, ['c42-eu5', 'idp']);
    assert.equal((invocation.triggers as Record<string, string>).kmsKeyArn, kmsKeyArn);
    assert.deepEqual(await resolved(broker.firstRefresh as pulumi.Output<object>), {
      skipped: 0,
      refreshed: 0,
      failed: 0,
      deferred: 1,
      pending: 1,
    });
    const table = find(recorded, T.table, 'edge-state').inputs;
    assert.equal(table.name, 'shared-token-state');
    assert.deepEqual(table.serverSideEncryption, { enabled: true, kmsKeyArn });
    const expiry = find(recorded, T.alarm, 'edge-alarms-expiry').inputs;
    assert.equal((expiry.metricQueries as { period: number }[])[0]?.period, 600);
  });

  it('caps the expiry alarm’s period at an hour, within what a Metrics Insights alarm evaluates', async () => {
    // Prepare
    const recorded = await installMocks();
    // Act
    new TokenBroker('slow', {
      parameterPrefix: '/tb/dev',
      instances: [fourInstances[0]],
      scheduleRate: '6 hours',
    });
    await settle();
    // Assess
    const expiry = find(recorded, T.alarm, 'slow-alarms-expiry').inputs;
    assert.equal((expiry.metricQueries as { period: number }[])[0]?.period, 3600);
    assert.equal(find(recorded, T.alarm, 'slow-alarms-no-success').inputs.period, 43_200);
  });

  it('creates secrets with the customer key and skips the first refresh when no credentials exist yet', async () => {
    // Prepare
    const recorded = await installMocks();
    // Act
    const broker = new TokenBroker('bare', {
      parameterPrefix: '/tb/dev',
      instances: [fourInstances[0]],
      kmsKeyArn,
      secretRecoveryDays: 30,
    });
    await settle();
    // Assess
    const secret = find(recorded, T.secret, 'bare-cw-sandbox-credentials').inputs;
    assert.equal(secret.kmsKeyId, kmsKeyArn);
    assert.equal(secret.recoveryWindowInDays, 30);
    assert.equal(ofType(recorded, T.secretVersion).length, 0);
    assert.equal(ofType(recorded, T.invocation).length, 0);
    assert.equal(broker.initialRefresh, undefined);
    assert.equal(broker.firstRefresh, undefined);
    assert.deepEqual(broker.pendingCredentials, ['cw-sandbox']);
    assert.equal(
      find(recorded, T.schedule, 'bare-schedule-schedule').inputs.scheduleExpression,
      'rate(20 minutes)',
    );
  });

  it('grants a downstream role read on named instances only, and refuses an unknown name', async () => {
    // Prepare
    const recorded = await installMocks();
    const broker = new TokenBroker('grants', {
      parameterPrefix: '/tb/dev',
      instances: fourInstances,
    });
    const role = new (await import('@pulumi/aws')).iam.Role('job', { assumeRolePolicy: '{}' });
    // Act
    broker.grantRead(role, ['idp', 'c42-eu5']);
    broker.grantRefresh(role);
    await settle();
    // Assess
    const policy = JSON.parse(
      String(find(recorded, T.rolePolicy, 'grants-read-job-idp-c42-eu5').inputs.policy),
    );
    assert.deepEqual(policy.Statement, [
      {
        Sid: 'ReadTokens',
        Effect: 'Allow',
        Action: ['ssm:GetParameter'],
        Resource: [
          mockArn('ssm', 'parameter/tb/dev/idp'),
          mockArn('ssm', 'parameter/tb/dev/c42-eu5'),
        ],
      },
    ]);
    const refresh = JSON.parse(
      String(find(recorded, T.rolePolicy, 'grants-refresh-job').inputs.policy),
    );
    assert.deepEqual(refresh.Statement[0].Resource, [
      mockArn('lambda', 'function:grants-refresher-function-0a1b2c3'),
    ]);
    assert.throws(() => broker.grantRead(role, ['ghost']), /no instance is named "ghost"/);
  });

  it('grants an operator role the status policy on this stack’s prefix, table and key', async () => {
    // Prepare
    const recorded = await installMocks();
    const broker = new TokenBroker('ops', {
      parameterPrefix: '/tb/dev',
      instances: fourInstances,
      kmsKeyArn,
    });
    const role = new (await import('@pulumi/aws')).iam.Role('operator', { assumeRolePolicy: '{}' });
    // Act
    broker.grantStatus(role);
    await settle();
    // Assess
    const status = find(recorded, T.rolePolicy, 'ops-status-operator').inputs;
    assert.equal(status.role, 'operator-0a1b2c3');
    assert.deepEqual(
      JSON.parse(String(status.policy)),
      statusPolicy({
        location: {
          partition: 'aws',
          dnsSuffix: 'amazonaws.com',
          region: 'us-east-1',
          accountId: MOCK_ACCOUNT,
        },
        parameterPrefix: '/tb/dev',
        stateTableArn: mockArn('dynamodb', 'table/tb-dev-state'),
        kmsKeyArn,
      }),
    );
  });
});

describe('Method: TokenBroker.validateArgs', () => {
  it('throws a BrokerSettingsError naming the argument, before any resource exists', () => {
    assert.throws(
      () =>
        TokenBroker.validateArgs({
          parameterPrefix: '/tb/dev',
          instances: fourInstances,
          scheduleRate: 'hourly',
        }),
      (error: unknown) =>
        error instanceof BrokerSettingsError && error.keys.join() === 'scheduleRate',
    );
  });
});
