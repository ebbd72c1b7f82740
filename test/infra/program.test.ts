import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as pulumi from '@pulumi/pulumi';
import { BrokerSettingsError } from '../../infra/settings/index.ts';
import { plainCredentialPaths } from './credentialScan.ts';
import { fourInstances, threeCredentials } from './fixtures.ts';
import { installMocks, resolved, settle } from './pulumiMocks.ts';

const baseConfig = {
  'aws:region': 'us-east-1',
  'token-broker:parameterPrefix': '/tb/dev',
  'token-broker:instances': JSON.stringify(fourInstances),
};

/** Loads a fresh copy of the stack program (a new module instance per query string). */
function loadProgram(tag: string): Promise<Record<string, unknown>> {
  return import(`../../infra/index.ts?${tag}`);
}

describe('Program: infra/index.ts', () => {
  it('reads the stack config, builds the broker and exports names, never a credential', async () => {
    // Prepare
    await installMocks();
    pulumi.runtime.setAllConfig(
      {
        ...baseConfig,
        'token-broker:credentials': JSON.stringify(threeCredentials),
        'token-broker:scheduleRate': '5 minutes',
        'token-broker:alarmEmail': 'ops@example.org',
        'token-broker:exampleConsumer': 'true',
      },
      ['token-broker:credentials'],
    );
    // Act
    const program = await loadProgram('full');
    await settle();
    // Assess: every export fully resolved, Outputs nested in records (secretArns) included, so the
    // credential scan below sees every value Pulumi would write to the stack outputs.
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(program)) {
      values[key] = await resolved(pulumi.output(value));
    }
    assert.deepEqual(Object.keys(values).sort(), [
      'alarmTopicArn',
      'brokerConfig',
      'dashboardName',
      'deadLetterQueueUrl',
      'exampleConsumerFunctionName',
      'firstRefresh',
      'functionArn',
      'functionName',
      'parameterNames',
      'parameterPrefix',
      'pendingCredentials',
      'readerKeyPolicyStatements',
      'scheduleName',
      'secretArns',
      'sharedParameterArns',
      'sharedTokenKeyArn',
      'stateTableName',
    ]);
    assert.equal(values.functionName, 'token-broker-refresher-function-0a1b2c3');
    assert.equal(values.dashboardName, 'tb-dev-us-east-1');
    assert.equal(values.scheduleName, 'token-broker-schedule-schedule-0a1b2c3');
    assert.deepEqual(values.pendingCredentials, ['c42-admin']);
    assert.deepEqual(values.brokerConfig, {
      parameterPrefix: '/tb/dev',
      instances: fourInstances,
      stateTable: 'tb-dev-state',
      ssmThroughput: 'standard',
    });
    assert.equal(values.stateTableName, 'tb-dev-state');
    assert.deepEqual(values.firstRefresh, {
      skipped: 0,
      refreshed: 3,
      failed: 0,
      deferred: 0,
      pending: 0,
    });
    assert.equal((values.parameterNames as Record<string, string>).idp, '/tb/dev/idp');
    assert.equal(typeof values.alarmTopicArn, 'string');
    assert.equal(
      values.exampleConsumerFunctionName,
      'token-broker-example-consumer-function-0a1b2c3',
    );
    assert.match(
      (values.secretArns as Record<string, string>).idp ?? '',
      /:secret:\/tb\/dev\/idp-/,
    );
    assert.deepEqual(plainCredentialPaths(values), []);
  });

  it('fails naming the stack config key when credentials are not a secret', async () => {
    // Prepare
    await installMocks();
    pulumi.runtime.setAllConfig({
      ...baseConfig,
      'token-broker:credentials': JSON.stringify(threeCredentials),
    });
    // Act + Assess
    await assert.rejects(
      loadProgram('plain-credentials'),
      (error: unknown) =>
        error instanceof BrokerSettingsError && error.keys.join() === 'token-broker:credentials',
    );
  });

  it('fails naming the stack config key of a bad instance field', async () => {
    // Prepare
    await installMocks();
    pulumi.runtime.setAllConfig({
      ...baseConfig,
      'token-broker:instances': JSON.stringify([{ ...fourInstances[3], clientAuth: 'jwt' }]),
    });
    // Act + Assess
    await assert.rejects(
      loadProgram('bad-instance'),
      (error: unknown) =>
        error instanceof BrokerSettingsError &&
        error.keys.join() === 'token-broker:instances[0].clientAuth',
    );
  });
});
