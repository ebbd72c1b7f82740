import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  BatchGetItemCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
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
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
  ThrottlingException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsServiceError, runRefreshCycle } from '../../../lambdas/refresher/index.ts';
import {
  clientCredentials,
  fakeLogin,
  oauth2Config,
  PREFIX,
} from '../../integration/refresher/fixtures.ts';

const metadata = { $metadata: {} };

/** SDK clients whose every call is answered by aws-sdk-client-mock: an empty, working store. */
function mockedStores() {
  const ssm = new SSMClient({ region: 'us-east-1' });
  const secretsManager = new SecretsManagerClient({ region: 'us-east-1' });
  const dynamodb = new DynamoDBClient({ region: 'us-east-1' });
  const ssmMock = mockClient(ssm);
  const secretsMock = mockClient(secretsManager);
  const dynamodbMock = mockClient(dynamodb);
  dynamodbMock
    .on(BatchGetItemCommand)
    .resolves({ Responses: {} })
    .on(UpdateItemCommand)
    .resolves({});
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
  return { ssm, secretsManager, dynamodb, ssmMock, secretsMock, dynamodbMock };
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
      () => mocked.dynamodbMock.restore(),
    );
    return mocked;
  };

  it('fails only the instance whose publish stays throttled after the SDK gave up', async () => {
    // Prepare
    const { ssm, secretsManager, dynamodb, ssmMock } = stores();
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
      dynamodb,
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
    const { ssm, secretsManager, dynamodb, ssmMock } = stores();
    const { login } = fakeLogin();
    // Act
    await runRefreshCycle(oauth2Config(['a']), {
      ssm,
      secretsManager,
      dynamodb,
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
    const { ssm, secretsManager, dynamodb, ssmMock } = stores();
    ssmMock
      .on(PutParameterCommand, { Name: `${PREFIX}/a` })
      .rejects(new InvalidKeyId({ message: 'The key alias/gone does not exist', ...metadata }));
    const { login } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), {
      ssm,
      secretsManager,
      dynamodb,
      login,
      kmsKeyId: 'alias/gone',
    });
    // Assess
    assert.equal(results[0]?.outcome, 'failed');
    assert.match(results[0]?.reason ?? '', /instance "a".*InvalidKeyId: The key alias\/gone/);
  });

  it('fails without logging in when the credentials secret is denied or cannot be decrypted', async () => {
    // Prepare
    const { ssm, secretsManager, dynamodb, secretsMock } = stores();
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
      dynamodb,
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

  /** What SSM answers a role without ssm:GetParameters. */
  const getParametersDenied = () =>
    new SSMServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      message: 'not authorized to perform ssm:GetParameters',
      ...metadata,
    });

  it('fails only the batch of instances whose stored tokens cannot be read', async () => {
    // Prepare: 12 instances, read ten a call; the call with the last two is denied
    const { ssm, secretsManager, dynamodb, ssmMock } = stores();
    const names = Array.from({ length: 12 }, (_, index) => `i${String(index).padStart(2, '0')}`);
    ssmMock
      .on(GetParametersCommand, { Names: [`${PREFIX}/i10`, `${PREFIX}/i11`] })
      .rejects(getParametersDenied());
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(names), {
      ssm,
      secretsManager,
      dynamodb,
      login,
    });
    // Assess
    assert.deepEqual(
      results.filter((result) => result.outcome === 'failed').map((result) => result.name),
      ['i10', 'i11'],
    );
    assert.match(results[10]?.reason ?? '', /cannot read token parameter .*AccessDeniedException/);
    assert.equal(calls.length, 10);
  });

  it('reports SSM and its endpoint once when every read fails, blaming no instance', async () => {
    // Prepare
    const { ssm, secretsManager, dynamodb, ssmMock } = stores();
    ssmMock.on(GetParametersCommand).rejects(getParametersDenied());
    const { login, calls } = fakeLogin();
    // Act & Assess
    await assert.rejects(
      runRefreshCycle(oauth2Config(['a', 'b', 'c']), { ssm, secretsManager, dynamodb, login }),
      (error: unknown) =>
        error instanceof AwsServiceError &&
        error.message ===
          'SSM (us-east-1) failed every call: AccessDeniedException: not authorized to perform ssm:GetParameters' &&
        !/instance "a"/.test(error.message),
    );
    assert.deepEqual(calls, []);
  });

  it('fails only the instance whose lease the state table refuses, naming the table', async () => {
    // Prepare
    const { ssm, secretsManager, dynamodb, dynamodbMock } = stores();
    dynamodbMock.on(UpdateItemCommand, { Key: { instance: { S: 'a' } } }).rejects(
      new DynamoDBServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: 'not authorized to perform dynamodb:UpdateItem',
        ...metadata,
      }),
    );
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a', 'b']), {
      ssm,
      secretsManager,
      dynamodb,
      login,
    });
    // Assess
    assert.equal(results[0]?.outcome, 'failed');
    assert.match(
      results[0]?.reason ?? '',
      /instance "a": cannot take the login lease in state table token-broker-test-state: AccessDeniedException/,
    );
    assert.equal(results[1]?.outcome, 'refreshed');
    assert.deepEqual(calls, ['b']);
  });
});
