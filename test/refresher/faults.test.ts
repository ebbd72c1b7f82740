import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  DecryptionFailure,
  GetSecretValueCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import {
  GetParameterCommand,
  GetParametersCommand,
  InvalidKeyId,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
  ThrottlingException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { InstanceLock } from '../../lambdas/refresher/InstanceLock.ts';
import { runRefreshCycle } from '../../lambdas/refresher/index.ts';
import { clientCredentials, fakeLogin, oauth2Config, PREFIX } from './fixtures.ts';

const metadata = { $metadata: {} };

/** SDK clients whose every call is answered by aws-sdk-client-mock: an empty, working store. */
function mockedStores() {
  const ssm = new SSMClient({ region: 'us-east-1' });
  const secretsManager = new SecretsManagerClient({ region: 'us-east-1' });
  const ssmMock = mockClient(ssm);
  const secretsMock = mockClient(secretsManager);
  ssmMock
    .on(GetParameterCommand)
    .rejects(new ParameterNotFound({ message: 'not found', ...metadata }))
    .on(GetParametersCommand)
    .resolves({ Parameters: [] })
    .on(PutParameterCommand)
    .resolves({ Version: 1 });
  secretsMock.on(GetSecretValueCommand).callsFake(({ SecretId }: { SecretId: string }) => ({
    SecretString: JSON.stringify(clientCredentials(SecretId.split('/').at(-1) ?? '')),
  }));
  return { ssm, secretsManager, ssmMock, secretsMock };
}

describe('Function: runRefreshCycle (faults the emulator cannot produce)', () => {
  const restores: (() => void)[] = [];
  afterEach(() => {
    for (const restore of restores.splice(0)) restore();
  });
  const stores = () => {
    const mocked = mockedStores();
    restores.push(
      () => mocked.ssmMock.restore(),
      () => mocked.secretsMock.restore(),
    );
    return mocked;
  };

  it('fails only the instance whose publish stays throttled after the SDK gave up', async () => {
    // Prepare
    const { ssm, secretsManager, ssmMock } = stores();
    ssmMock.on(PutParameterCommand, { Name: `${PREFIX}/b` }).rejects(
      new ThrottlingException({
        message: 'Rate exceeded',
        Message: 'Rate exceeded',
        ...metadata,
      }),
    );
    const { login } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a', 'b', 'c']), {
      ssm,
      secretsManager,
      login,
    });
    // Assess
    assert.deepEqual(
      results.map((result) => result.outcome),
      ['refreshed', 'failed', 'refreshed'],
    );
    assert.equal(
      results[1]?.reason,
      `StoreAccessError: instance "b": cannot publish token parameter ${PREFIX}/b: ThrottlingException: Rate exceeded`,
    );
  });

  it('publishes one SecureString, Intelligent-Tiering PutParameter with the KMS key', async () => {
    // Prepare
    const { ssm, secretsManager, ssmMock } = stores();
    const { login } = fakeLogin();
    // Act
    await runRefreshCycle(oauth2Config(['a']), {
      ssm,
      secretsManager,
      login,
      kmsKeyId: 'alias/token-broker',
    });
    // Assess
    const puts = ssmMock
      .commandCalls(PutParameterCommand)
      .map((call) => call.args[0].input)
      .filter((input) => input.Name === `${PREFIX}/a`);
    assert.equal(puts.length, 1);
    assert.deepEqual(
      { ...puts[0], Value: undefined },
      {
        Name: `${PREFIX}/a`,
        Value: undefined,
        Type: 'SecureString',
        Overwrite: true,
        Tier: 'Intelligent-Tiering',
        KeyId: 'alias/token-broker',
      },
    );
  });

  it('fails an instance whose KMS key SSM rejects, naming the key error', async () => {
    // Prepare
    const { ssm, secretsManager, ssmMock } = stores();
    ssmMock
      .on(PutParameterCommand, { Name: `${PREFIX}/a` })
      .rejects(new InvalidKeyId({ message: 'The key alias/gone does not exist', ...metadata }));
    const { login } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), {
      ssm,
      secretsManager,
      login,
      kmsKeyId: 'alias/gone',
    });
    // Assess
    assert.equal(results[0]?.outcome, 'failed');
    assert.match(results[0]?.reason ?? '', /instance "a".*InvalidKeyId: The key alias\/gone/);
  });

  it('fails without logging in when the credentials secret is denied or cannot be decrypted', async () => {
    // Prepare
    const { ssm, secretsManager, secretsMock } = stores();
    secretsMock
      .on(GetSecretValueCommand, { SecretId: `${PREFIX}/denied` })
      .rejects(
        new SecretsManagerServiceException({
          name: 'AccessDeniedException',
          $fault: 'client',
          message: 'not authorized to perform secretsmanager:GetSecretValue',
          ...metadata,
        }),
      )
      .on(GetSecretValueCommand, { SecretId: `${PREFIX}/kms` })
      .rejects(new DecryptionFailure({ message: 'KMS key is disabled', ...metadata }));
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['denied', 'kms']), {
      ssm,
      secretsManager,
      login,
    });
    // Assess
    assert.match(
      results[0]?.reason ?? '',
      /instance "denied": cannot read credentials secret \/token-broker\/test\/denied: AccessDeniedException/,
    );
    assert.match(
      results[1]?.reason ?? '',
      /instance "kms".*DecryptionFailure: KMS key is disabled/,
    );
    assert.deepEqual(calls, []);
  });

  it('fails without logging in when the stored token cannot be read', async () => {
    // Prepare
    const { ssm, secretsManager, ssmMock } = stores();
    ssmMock.on(GetParametersCommand).rejects(
      new SSMServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: 'not authorized to perform ssm:GetParameters',
        ...metadata,
      }),
    );
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), { ssm, secretsManager, login });
    // Assess
    assert.equal(results[0]?.outcome, 'failed');
    assert.match(results[0]?.reason ?? '', /cannot read token parameter .*AccessDeniedException/);
    assert.deepEqual(calls, []);
  });
});

describe('Class: InstanceLock', () => {
  describe('Method: acquire', () => {
    const expiredLease = JSON.stringify({ owner: 'crashed', leaseUntil: '2026-01-01T00:00:00Z' });
    const lockFor = (ssm: SSMClient) =>
      new InstanceLock({
        ssm,
        instance: 'a',
        parameterName: `${PREFIX}/.locks/a`,
        owner: 'me',
        leaseMs: 60_000,
        now: Date.now,
      });

    for (const [version, acquired] of [
      [4, true],
      [5, false],
    ] as const) {
      it(`${acquired ? 'takes' : 'leaves'} an expired lease when its overwrite became version ${version} of 3`, async () => {
        // Prepare
        const ssm = new SSMClient({ region: 'us-east-1' });
        const ssmMock = mockClient(ssm);
        ssmMock
          .on(PutParameterCommand, { Overwrite: false })
          .rejects(new ParameterAlreadyExists({ message: 'exists', ...metadata }));
        ssmMock
          .on(GetParameterCommand)
          .resolves({ Parameter: { Value: expiredLease, Version: 3 } })
          .on(PutParameterCommand, { Overwrite: true })
          .resolves({ Version: version });
        // Act
        const attempt = await lockFor(ssm)
          .acquire()
          .finally(() => ssmMock.restore());
        // Assess
        assert.equal(attempt.acquired, acquired);
      });
    }
  });
});
