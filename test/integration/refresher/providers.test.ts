import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { loginInstance } from '../../../lambdas/providers/index.ts';
import { parseEnvelopeJson, type TokenEnvelope } from '../../../lambdas/reader/contract/index.ts';
import {
  type LoginFunction,
  RefresherMetrics,
  runRefreshCycle,
} from '../../../lambdas/refresher/index.ts';
import { awsCliGetParameters } from '../../support/awsCli.ts';
import { useMoto } from '../../support/moto.ts';
import {
  captureConsole,
  envelopeFor,
  PREFIX,
  seedSecrets,
  storedValue,
  storeEnvelope,
} from './fixtures.ts';
import { type ProviderWorld, startProviderWorld, WORLD_NAMES } from './providerWorld.ts';

/** The providers' own login, with short retry delays so "provider down" fails fast. */
const quickRetryLogin: LoginFunction = (instance, credentials, options) =>
  loginInstance(instance, credentials, { ...options, baseDelayMs: 5, maxDelayMs: 20 });

async function storedEnvelope(name: string): Promise<TokenEnvelope> {
  const parsed = parseEnvelopeJson((await storedValue(name)) ?? '');
  assert.ok(parsed.ok, `no valid envelope stored for ${name}`);
  return parsed.envelope;
}

describe('Function: runRefreshCycle (moto and the fake providers)', () => {
  const moto = useMoto({ resetEach: true });
  let world: ProviderWorld;
  beforeEach(async () => {
    world = await startProviderWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('publishes every provider type, read back by the AWS CLI', async () => {
    // Act
    const { results } = await runRefreshCycle(world.config);
    // Assess
    assert.deepEqual(
      results.map((result) => [result.name, result.outcome]),
      WORLD_NAMES.map((name) => [name, 'refreshed']),
    );
    const issued = {
      'cw-sandbox': world.crisisworks.issuedTokens(),
      'c42-api': world.code42.issuedTokens(),
      'c42-admin': world.code42.issuedTokens(),
      idp: world.oauth2.issuedTokens(),
    };
    const parameters = await awsCliGetParameters(
      moto,
      WORLD_NAMES.map((name) => `${PREFIX}/${name}`),
    );
    for (const name of WORLD_NAMES) {
      const parameter = parameters.get(`${PREFIX}/${name}`);
      assert.ok(parameter, `${name}: published`);
      assert.equal(parameter.Type, 'SecureString');
      const parsed = parseEnvelopeJson(parameter.Value);
      assert.ok(parsed.ok, `${name}: ${parsed.ok ? '' : parsed.reason}`);
      assert.equal(parsed.envelope.name, name);
      assert.ok(issued[name].includes(parsed.envelope.token), `${name}: the token the fake issued`);
      assert.equal(
        results.find((result) => result.name === name)?.expiresAt,
        parsed.envelope.expiresAt,
      );
    }
    assert.deepEqual((await storedEnvelope('cw-sandbox')).headers, { 'X-Site': 'sandbox' });
    assert.equal(world.crisisworks.logins, 1);
    assert.equal(world.code42.logins, 2);
    assert.equal(world.oauth2.logins, 1);
  });

  it('skips fresh tokens on the next run and logs in again only when forced', async () => {
    // Prepare
    await runRefreshCycle(world.config);
    const before = await storedEnvelope('idp');
    // Act
    const second = await runRefreshCycle(world.config);
    const forced = await runRefreshCycle(world.config, { names: ['c42-api', 'idp'], force: true });
    // Assess
    assert.deepEqual(
      second.results.map((result) => result.outcome),
      ['skipped', 'skipped', 'skipped', 'skipped'],
    );
    assert.deepEqual(
      forced.results.map((result) => [result.name, result.outcome]),
      [
        ['c42-api', 'refreshed'],
        ['idp', 'refreshed'],
      ],
    );
    assert.equal(world.crisisworks.logins, 1);
    assert.equal(world.code42.logins, 3);
    assert.equal(world.oauth2.logins, 2);
    assert.notEqual((await storedEnvelope('idp')).token, before.token);
  });

  it('replaces an expired stored token', async () => {
    // Prepare
    const expired = {
      ...envelopeFor('idp', Date.now() - 7_200_000),
      provider: 'oauth2-client-credentials',
    };
    await storeEnvelope(expired);
    // Act
    const { results } = await runRefreshCycle(world.config, { names: ['idp'] });
    // Assess
    assert.equal(results[0]?.outcome, 'refreshed');
    assert.match(results[0]?.reason ?? '', /expired at/);
    assert.equal((await storedEnvelope('idp')).token, world.oauth2.issuedTokens().at(-1));
  });

  it('fails an instance with a missing or a malformed secret and refreshes the others', async () => {
    // Prepare: a second configuration whose two extra instances have a missing / malformed secret
    const config = {
      ...world.config,
      instances: [
        ...world.config.instances,
        { ...world.config.instances[3], name: 'no-secret' },
        { ...world.config.instances[3], name: 'bad-secret' },
      ],
    } as typeof world.config;
    await seedSecrets(['bad-secret'], () => '{"clientId":"broker","clientSecret":""}');
    // Act
    const { results } = await runRefreshCycle(config);
    // Assess
    assert.deepEqual(
      results.map((result) => result.outcome),
      ['refreshed', 'refreshed', 'refreshed', 'refreshed', 'failed', 'failed'],
    );
    assert.match(
      results[4]?.reason ?? '',
      /instance "no-secret": credentials secret \S+ does not exist/,
    );
    assert.match(
      results[5]?.reason ?? '',
      /instance "bad-secret": invalid credentials: clientSecret/,
    );
  });

  it('keeps a valid stored token when the provider is down', async () => {
    // Prepare: stored token is due (refreshAt passed) but valid for 10 more minutes
    const stored = {
      ...envelopeFor('idp', Date.now() - 50 * 60_000),
      provider: 'oauth2-client-credentials',
    };
    await storeEnvelope(stored);
    world.oauth2.setMode('unavailable');
    // Act
    const { results } = await runRefreshCycle(world.config, { login: quickRetryLogin });
    // Assess
    const idp = results.find((result) => result.name === 'idp');
    assert.equal(idp?.outcome, 'failed');
    assert.match(idp?.reason ?? '', /ProviderUnavailableError: .*idp/);
    assert.equal(idp?.expiresAt, stored.expiresAt);
    assert.equal(await storedValue('idp'), JSON.stringify(stored));
    assert.equal(
      results.filter((result) => result.outcome === 'refreshed').length,
      3,
      'the other instances are refreshed',
    );
  });

  it('fails on a 401 without retrying, and keeps the stored token', async () => {
    // Prepare
    const stored = {
      ...envelopeFor('cw-sandbox', Date.now() - 50 * 60_000),
      provider: 'crisisworks',
    };
    await storeEnvelope(stored);
    world.crisisworks.setMode('reject');
    // Act
    const { results } = await runRefreshCycle(world.config, { names: ['cw-sandbox'] });
    // Assess
    assert.equal(results[0]?.outcome, 'failed');
    assert.match(results[0]?.reason ?? '', /InvalidCredentialsError: .*cw-sandbox/);
    assert.equal(world.crisisworks.requests, 1);
    assert.equal(await storedValue('cw-sandbox'), JSON.stringify(stored));
  });

  it('logs in once per instance when two runs race', async () => {
    // Prepare: slow fakes so that the two runs overlap
    await world.close();
    await moto.reset();
    world = await startProviderWorld({ latencyMs: 300 });
    // Act
    const runs = await Promise.all([
      runRefreshCycle(world.config),
      runRefreshCycle(world.config, { force: true }),
    ]);
    // Assess
    assert.equal(world.crisisworks.logins, 1);
    assert.equal(world.code42.logins, 2);
    assert.equal(world.oauth2.logins, 1);
    for (const index of WORLD_NAMES.keys()) {
      assert.deepEqual(runs.map((run) => run.results[index]?.outcome).sort(), [
        'refreshed',
        'skipped',
      ]);
    }
  });

  it('writes no secret, TOTP seed or token to its logs and metrics', async () => {
    // Prepare
    world.code42.setMode('reject');
    const capture = captureConsole();
    try {
      const logger = new Logger({ serviceName: RefresherMetrics.serviceName, logLevel: 'DEBUG' });
      const metrics = new Metrics({
        namespace: RefresherMetrics.namespace,
        serviceName: RefresherMetrics.serviceName,
      });
      // Act
      await runRefreshCycle(world.config, { logger, metrics });
    } finally {
      capture.restore();
    }
    // Assess
    const output = capture.lines.join('\n');
    assert.match(output, /"instance": "c42-admin"/);
    const tokens = [...world.crisisworks.issuedTokens(), ...world.oauth2.issuedTokens()];
    assert.equal(tokens.length, 2);
    for (const secret of [...world.secrets, ...tokens]) {
      assert.equal(
        output.includes(secret),
        false,
        `output contains a secret or token (${secret.length} chars)`,
      );
    }
  });
});
