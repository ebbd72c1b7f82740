import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { parseBrokerConfig } from '../../../lambdas/config/index.ts';
import { loginInstance } from '../../../lambdas/providers/index.ts';
import { parseEnvelopeJson } from '../../../lambdas/reader/contract/index.ts';
import { writeBackRequestToken } from '../../../lambdas/refresher/credentialsSecret.ts';
import {
  type LoginFunction,
  type RefreshCycleOptions,
  runRefreshCycle,
} from '../../../lambdas/refresher/index.ts';
import { type FakeRotatingOAuth2Server, startFakeRotatingOAuth2 } from '../../fakes/index.ts';
import { useMoto } from '../../support/moto.ts';
import { createStateTable, PREFIX, stateRecord, storedValue } from './fixtures.ts';

const CLIENT_SECRET = 'rotation-client-s3cret';
const SECRET_ID = `${PREFIX}/crm`;

/** The real providers' login without backoff waits. */
const quickLogin: LoginFunction = (instance, credentials, options) =>
  loginInstance(instance, credentials, { ...options, sleep: async () => {}, random: () => 0 });

/** A Secrets Manager client whose first `failures` PutSecretValue calls fail like a network error. */
function failingPuts(failures: number) {
  const client = new SecretsManagerClient({ maxAttempts: 1 });
  const state = { puts: 0, failures };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutSecretValueCommand') {
        state.puts += 1;
        if (state.failures > 0) {
          state.failures -= 1;
          throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'failingPuts' },
  );
  return { client, state };
}

async function secretValue(): Promise<Record<string, string>> {
  const output = await new SecretsManagerClient({}).send(
    new GetSecretValueCommand({ SecretId: SECRET_ID }),
  );
  return JSON.parse(output.SecretString ?? '{}');
}

async function versionIds(): Promise<string[]> {
  const output = await new SecretsManagerClient({}).send(
    new ListSecretVersionIdsCommand({ SecretId: SECRET_ID }),
  );
  return (output.Versions ?? []).map((version) => version.VersionId ?? '');
}

describe('Function: runRefreshCycle (rotating refresh tokens)', () => {
  const moto = useMoto();
  let idp: FakeRotatingOAuth2Server;
  let clients: Pick<RefreshCycleOptions, 'ssm' | 'secretsManager'>;
  const config = () =>
    parseBrokerConfig(
      {
        parameterPrefix: PREFIX,
        instances: [
          { name: 'crm', type: 'oauth2-refresh-token', tokenUrl: idp.tokenUrl, clientAuth: 'post' },
        ],
      },
      'test',
    );
  const seed = async () => {
    const refreshToken = idp.issueRefreshToken();
    await new SecretsManagerClient({}).send(
      new CreateSecretCommand({
        Name: SECRET_ID,
        SecretString: JSON.stringify({
          clientId: 'app',
          clientSecret: CLIENT_SECRET,
          refreshToken,
        }),
      }),
    );
    return refreshToken;
  };

  before(() => {
    clients = { ssm: new SSMClient({}), secretsManager: new SecretsManagerClient({}) };
  });
  beforeEach(async () => {
    await idp?.close();
    idp = await startFakeRotatingOAuth2({
      client: { clientId: 'app', clientSecret: CLIENT_SECRET, clientAuth: 'post' },
    });
    await moto.reset();
    await createStateTable();
  });
  after(async () => {
    await idp.close();
  });

  it('stores the rotated refresh token with an idempotent request token before publishing', async () => {
    // Prepare
    const first = await seed();
    // Act
    const { results } = await runRefreshCycle(config(), { ...clients, login: quickLogin });
    const again = await runRefreshCycle(config(), { ...clients, login: quickLogin, force: true });
    // Assess
    assert.equal(results[0]?.outcome, 'refreshed');
    assert.equal(again.results[0]?.outcome, 'refreshed');
    const current = idp.currentRefreshToken(first) ?? '';
    assert.deepEqual(await secretValue(), {
      clientId: 'app',
      clientSecret: CLIENT_SECRET,
      refreshToken: current,
    });
    assert.ok((await versionIds()).includes(writeBackRequestToken(current)));
    assert.equal(idp.refreshes, 2);
    assert.equal(idp.revokedFamilies, 0);
    const envelope = parseEnvelopeJson((await storedValue('crm')) ?? '');
    assert.ok(envelope.ok && envelope.envelope.token === idp.issuedTokens().at(-1));
  });

  it('writes nothing when the server keeps the refresh token', async () => {
    // Prepare
    await idp.close();
    idp = await startFakeRotatingOAuth2({
      client: { clientId: 'app', clientSecret: CLIENT_SECRET, clientAuth: 'post' },
      rotate: false,
    });
    await seed();
    const { client, state } = failingPuts(0);
    // Act
    const { results } = await runRefreshCycle(config(), {
      ...clients,
      secretsManager: client,
      login: quickLogin,
    });
    // Assess
    assert.equal(results[0]?.outcome, 'refreshed');
    assert.equal(state.puts, 0);
    assert.equal((await versionIds()).length, 1);
  });

  it('logs in once when two runs race, and the stored token keeps working', async () => {
    // Prepare
    await seed();
    // Act
    const both = await Promise.all([
      runRefreshCycle(config(), { ...clients, login: quickLogin, force: true }),
      runRefreshCycle(config(), { ...clients, login: quickLogin, force: true }),
    ]);
    const next = await runRefreshCycle(config(), { ...clients, login: quickLogin, force: true });
    // Assess
    assert.deepEqual(both.map(({ results }) => results[0]?.outcome).sort(), [
      'refreshed',
      'skipped',
    ]);
    assert.equal(next.results[0]?.outcome, 'refreshed');
    assert.equal(idp.revokedFamilies, 0);
    assert.equal(idp.refreshes, 2);
  });

  it('retries a write-back that fails once, with the same request token, and succeeds', async () => {
    // Prepare
    const first = await seed();
    const { client, state } = failingPuts(1);
    // Act
    const { results } = await runRefreshCycle(config(), {
      ...clients,
      secretsManager: client,
      login: quickLogin,
      sleep: async () => {},
    });
    // Assess
    assert.equal(results[0]?.outcome, 'refreshed');
    assert.equal(state.puts, 2);
    assert.equal((await secretValue()).refreshToken, idp.currentRefreshToken(first));
  });

  it('fails loudly, still publishing the working token, when the write-back keeps failing', async () => {
    // Prepare
    const first = await seed();
    const { client, state } = failingPuts(Number.POSITIVE_INFINITY);
    // Act
    const { results } = await runRefreshCycle(config(), {
      ...clients,
      secretsManager: client,
      login: quickLogin,
      sleep: async () => {},
    });
    // Assess
    const [result] = results;
    assert.equal(result?.outcome, 'failed');
    assert.match(
      result?.reason ?? '',
      /^the refresh token rotated but could not be stored \(WriteBackError: cannot store the rotated refresh token in secret \/token-broker\/test\/crm: TimeoutError: socket hang up\); the stored one no longer works: re-authorize with "token-broker authorize crm --config FILE"$/,
    );
    assert.equal(state.puts, 3);
    const envelope = parseEnvelopeJson((await storedValue('crm')) ?? '');
    assert.ok(envelope.ok && envelope.envelope.token === idp.issuedTokens().at(-1));
    assert.equal(result?.expiresAt, envelope.ok ? envelope.envelope.expiresAt : '');
    const record = await stateRecord('crm');
    assert.equal(record?.lastResult?.outcome, 'failed');
    assert.match(record?.lastResult?.reason ?? '', /re-authorize with "token-broker authorize crm/);
    assert.ok(!JSON.stringify(results).includes(idp.currentRefreshToken(first) ?? 'none'));
  });

  it('reports invalid_grant as re-authorize, never retried, after a process died between rotation and write-back', async () => {
    // Prepare: a run whose process was killed after the server rotated, before the write-back
    const first = await seed();
    const killed: LoginFunction = async (instance, credentials, options) => {
      await quickLogin(instance, credentials, { ...options, onCredentialsRotated: undefined });
      throw new Error('killed');
    };
    await runRefreshCycle(config(), { ...clients, login: killed });
    assert.notEqual(idp.currentRefreshToken(first), first);
    const requestsBefore = idp.requests;
    // Act
    const { results } = await runRefreshCycle(config(), {
      ...clients,
      login: quickLogin,
      force: true,
    });
    // Assess
    assert.equal(results[0]?.outcome, 'failed');
    assert.match(
      results[0]?.reason ?? '',
      /^ReauthorizationRequiredError: instance "crm" \(oauth2-refresh-token\): the refresh token was refused \(invalid_grant: .*\): re-authorize with "token-broker authorize crm --config FILE"$/,
    );
    assert.equal(idp.requests - requestsBefore, 1);
    assert.equal(idp.revokedFamilies, 1);
    assert.match((await stateRecord('crm'))?.lastResult?.reason ?? '', /re-authorize/);
    assert.equal((await secretValue()).refreshToken, first);
  });
});
