import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as pulumi from '@pulumi/pulumi';
import { TokenBroker } from '../../infra/components/index.ts';
import { plainCredentialPaths } from './credentialScan.ts';
import { credentialValues, fourInstances, threeCredentials } from './fixtures.ts';
import {
  find,
  installMocks,
  isSecretValue,
  type RecordedResource,
  resolved,
  settle,
} from './pulumiMocks.ts';

describe('Secrets: credentials given to TokenBroker', () => {
  let recorded: RecordedResource[];
  let broker: TokenBroker;

  before(async () => {
    recorded = await installMocks();
    broker = new TokenBroker('sec', {
      parameterPrefix: '/tb/dev',
      instances: fourInstances,
      credentials: threeCredentials,
      exampleConsumer: true,
      alarmEmail: 'ops@example.org',
    });
    await settle();
  });

  it('passes each secret value to Secrets Manager as a Pulumi secret, and nowhere else', () => {
    for (const [name, credentials] of Object.entries(threeCredentials)) {
      const secretString = find(
        recorded,
        'aws:secretsmanager/secretVersion:SecretVersion',
        `sec-${name}-credentials-value`,
      ).inputs.secretString;
      assert.ok(isSecretValue(secretString), `${name}: secretString is secret`);
      assert.deepEqual(JSON.parse(String(secretString.value)), credentials);
    }
    for (const resource of recorded) {
      assert.deepEqual(
        plainCredentialPaths(resource.inputs),
        [],
        `${resource.type} ${resource.name}`,
      );
    }
  });

  it('keeps the secret value output secret and the public outputs free of credentials', async () => {
    const version = broker.instances.idp?.secretVersion;
    assert.ok(version !== undefined);
    assert.equal(await pulumi.isSecret(version.secretString), true);
    for (const [name, arn] of Object.entries(broker.secretArns)) {
      assert.equal(await pulumi.isSecret(arn), false, name);
      assert.deepEqual(plainCredentialPaths(await resolved(arn)), [], name);
    }
    const invocation = broker.initialRefresh;
    assert.ok(invocation !== undefined);
    assert.deepEqual(plainCredentialPaths(await resolved(invocation.triggers)), []);
    assert.deepEqual(plainCredentialPaths(broker.parameterNames), []);
    assert.deepEqual(plainCredentialPaths(broker.settings), []);
    assert.ok(!('credentials' in broker.settings));
  });

  it('would catch a credential in a plain input (the check itself can fail)', () => {
    assert.deepEqual(plainCredentialPaths({ a: [{ b: `x${credentialValues.password}` }] }), [
      '.a[0].b',
    ]);
  });
});
