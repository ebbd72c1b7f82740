import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { TokenNotFoundError, TokenReader } from '../../lambdas/reader/index.ts';
import type { RefreshEvent } from '../../lambdas/refresher/contract.ts';
import { type Moto, startMoto } from '../support/moto.ts';
import { type FakeApi, startFakeApi } from './readerFakeApi.ts';
import { type FakeRefresher, startFakeRefresher } from './readerFakeRefresher.ts';
import { makeEnvelope, publish, TEST_PREFIX } from './readerFixtures.ts';

/** The account and region moto answers as: the broker's, whose parameters the reader names by ARN. */
const BROKER_ARN_PREFIX = `arn:aws:ssm:us-east-1:123456789012:parameter${TEST_PREFIX}`;
const REFRESHER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:token-broker-refresher';

/** Records the `Name` of every GetParameter the client sends. */
function recordNames(client: SSMClient): string[] {
  const names: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Name?: string };
      if (context.commandName === 'GetParameterCommand') names.push(String(input.Name));
      return next(args);
    },
    { step: 'initialize', name: 'recordNames' },
  );
  return names;
}

describe('Class: TokenReader with parameterArnPrefix, against moto', () => {
  let moto: Moto;
  let ssm: SSMClient;
  let names: string[];
  let api: FakeApi;
  let refresher: FakeRefresher;
  let lambda: LambdaClient;

  before(async () => {
    moto = await startMoto();
    refresher = await startFakeRefresher(async (event: RefreshEvent) => {
      for (const name of event.names ?? []) {
        await publish(
          ssm,
          name,
          makeEnvelope(name, { token: `renewed-${name}`, baseUrl: api.url }),
        );
        api.accept(`renewed-${name}`);
      }
    });
  });
  after(async () => {
    await refresher.close();
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    ssm = new SSMClient({});
    names = recordNames(ssm);
    lambda = new LambdaClient({ endpoint: refresher.url });
    api = await startFakeApi();
  });
  afterEach(async () => {
    await api.close();
    ssm.destroy();
    lambda.destroy();
    (refresher.events as RefreshEvent[]).length = 0;
    (refresher.functionNames as string[]).length = 0;
  });

  it('moto itself answers a GetParameter whose Name is the full ARN', async () => {
    // Prepare
    await publish(ssm, 'idp', makeEnvelope('idp'));
    // Act
    const output = await ssm.send(
      new GetParameterCommand({ Name: `${BROKER_ARN_PREFIX}/idp`, WithDecryption: true }),
    );
    // Assess
    assert.equal(output.Parameter?.Name, `${TEST_PREFIX}/idp`);
  });

  it('reads the envelope by its full ARN', async () => {
    // Prepare
    const envelope = makeEnvelope('idp');
    await publish(ssm, 'idp', envelope);
    const reader = new TokenReader({ parameterArnPrefix: BROKER_ARN_PREFIX, ssmClient: ssm });
    // Act
    const read = await reader.getToken('idp');
    // Assess
    assert.deepEqual(read, envelope);
    assert.deepEqual(names, [`${BROKER_ARN_PREFIX}/idp`]);
  });

  it('throws TokenNotFoundError naming the ARN when the parameter is not shared with it', async () => {
    // Prepare: the same name, in an account moto does not hold
    await publish(ssm, 'idp', makeEnvelope('idp'));
    const elsewhere = `arn:aws:ssm:us-east-1:999999999999:parameter${TEST_PREFIX}`;
    const reader = new TokenReader({ parameterArnPrefix: elsewhere, ssmClient: ssm });
    // Act & Assess
    await assert.rejects(reader.getToken('idp'), (error: unknown) => {
      assert.ok(error instanceof TokenNotFoundError);
      assert.equal(error.parameterName, `${elsewhere}/idp`);
      assert.match(error.message, /arn:aws:ssm:us-east-1:999999999999:parameter/);
      return true;
    });
  });

  it('after a 401 invokes the refresher by its ARN, once per cooldown, and reads by ARN again', async () => {
    // Prepare
    await publish(ssm, 'idp', makeEnvelope('idp', { token: 'first', baseUrl: api.url }));
    api.accept('revoked');
    const reader = new TokenReader({
      parameterArnPrefix: BROKER_ARN_PREFIX,
      ssmClient: ssm,
      refresherFunctionName: REFRESHER_ARN,
      lambdaClient: lambda,
    });
    // Act
    const renewed = await reader.fetchWithToken('idp', '/x');
    api.accept('revoked-again');
    const insideCooldown = await reader.fetchWithToken('idp', '/x');
    // Assess
    assert.equal(renewed.status, 200);
    assert.equal(insideCooldown.status, 401);
    assert.deepEqual(refresher.functionNames, [REFRESHER_ARN]);
    assert.deepEqual(refresher.events, [{ names: ['idp'], force: true }]);
    assert.ok(names.length >= 2);
    assert.ok(names.every((name) => name === `${BROKER_ARN_PREFIX}/idp`));
  });
});
