import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { parseBrokerConfig } from '../../../lambdas/config/index.ts';
import { runRefreshCycle } from '../../../lambdas/refresher/index.ts';
import { useMoto } from '../../support/moto.ts';
import { createStateTable, fakeLogin, oauth2Config, PREFIX, seedSecrets } from './fixtures.ts';

/** Tier and key of each token parameter, as SSM describes them. */
async function storage(
  ssm: SSMClient,
): Promise<Record<string, [string | undefined, string | undefined]>> {
  const { Parameters = [] } = await ssm.send(
    new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Values: [PREFIX] }] }),
  );
  return Object.fromEntries(Parameters.map((p) => [p.Name ?? '', [p.Tier, p.KeyId]]));
}

describe('Function: runRefreshCycle, a token shared with other accounts', () => {
  let ssm: SSMClient;
  useMoto({ resetEach: true });
  after(() => {
    ssm.destroy();
  });
  before(() => {
    ssm = new SSMClient({});
  });
  beforeEach(async () => {
    await createStateTable();
    await seedSecrets(['shared', 'local']);
  });

  /** The two instances, `shared` read from account 111122223333. */
  const config = () => {
    const { instances, ...rest } = oauth2Config(['shared', 'local']);
    return parseBrokerConfig(
      {
        ...rest,
        instances: instances.map((instance) =>
          instance.name === 'shared' ? { ...instance, readerAccounts: ['111122223333'] } : instance,
        ),
      },
      'test',
    );
  };

  it('publishes it Advanced under the stack’s shared-token key, and the other as before', async () => {
    // Prepare
    const { login } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(config(), {
      ssm,
      secretsManager: new SecretsManagerClient({}),
      login,
    });
    // Assess
    assert.deepEqual(
      results.map((result) => result.outcome),
      ['refreshed', 'refreshed'],
    );
    const stored = await storage(ssm);
    assert.deepEqual(stored[`${PREFIX}/shared`], [
      'Advanced',
      `alias/token-broker-shared${PREFIX}`,
    ]);
    // moto reports the tier as requested (SSM would say Standard for a small value)
    assert.deepEqual(stored[`${PREFIX}/local`], ['Intelligent-Tiering', 'alias/aws/ssm']);
  });

  it('publishes it Advanced under the configured key when there is one', async () => {
    // Prepare
    const { login } = fakeLogin();
    const kmsKeyId = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    // Act
    await runRefreshCycle(config(), {
      ssm,
      secretsManager: new SecretsManagerClient({}),
      login,
      kmsKeyId,
    });
    // Assess
    const stored = await storage(ssm);
    assert.deepEqual(stored[`${PREFIX}/shared`], ['Advanced', kmsKeyId]);
    assert.equal(stored[`${PREFIX}/local`]?.[1], kmsKeyId);
  });
});
