import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { parseBrokerConfig } from '../../../lambdas/config/index.ts';
import { PENDING_TOKEN_VALUE, parseEnvelopeJson } from '../../../lambdas/reader/contract/index.ts';
import {
  createPacers,
  pacingLimits,
  RefreshEventError,
  RefresherMetrics,
  runRefreshCycle,
  StateTableMissingError,
} from '../../../lambdas/refresher/index.ts';
import type { RefreshCycleOptions } from '../../../lambdas/refresher/RefreshCycleOptions.ts';
import { useMoto } from '../../support/moto.ts';
import {
  captureConsole,
  clientCredentials,
  createStateTable,
  envelopeFor,
  fakeLogin,
  oauth2Config,
  PREFIX,
  putStateRecord,
  seedSecrets,
  stateRecord,
  storedValue,
  storeEnvelope,
} from './fixtures.ts';

describe('Function: runRefreshCycle', () => {
  useMoto({ resetEach: true });
  let clients: Pick<RefreshCycleOptions, 'ssm' | 'secretsManager'>;
  before(() => {
    clients = { ssm: new SSMClient({}), secretsManager: new SecretsManagerClient({}) };
  });
  beforeEach(async () => {
    await createStateTable();
  });

  it('publishes a SecureString envelope for every instance when none is stored', async () => {
    // Prepare
    const names = ['a', 'b', 'c'];
    await seedSecrets(names);
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(names), { ...clients, login });
    // Assess
    assert.deepEqual(
      results.map((result) => [result.name, result.outcome]),
      names.map((name) => [name, 'refreshed']),
    );
    assert.deepEqual([...calls].sort(), names);
    for (const name of names) {
      const text = await storedValue(name);
      const parsed = parseEnvelopeJson(text ?? '');
      assert.ok(parsed.ok && parsed.envelope.name === name);
    }
    const described = await new SSMClient({}).send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Values: [`${PREFIX}/a`] }],
      }),
    );
    assert.equal(described.Parameters?.[0]?.Type, 'SecureString');
  });

  it('skips an instance whose stored token stays fresh past the next run', async () => {
    // Prepare
    await seedSecrets(['a']);
    const stored = envelopeFor('a', Date.now());
    await storeEnvelope(stored);
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), { ...clients, login });
    // Assess
    assert.equal(results[0]?.outcome, 'skipped');
    assert.equal(results[0]?.expiresAt, stored.expiresAt);
    assert.deepEqual(calls, []);
    assert.equal(await storedValue('a'), JSON.stringify(stored));
  });

  it('logs in again when forced even though the stored token is fresh', async () => {
    // Prepare
    await seedSecrets(['a']);
    const stored = envelopeFor('a', Date.now() - 60_000);
    await storeEnvelope(stored);
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), {
      ...clients,
      login,
      force: true,
    });
    // Assess
    assert.equal(results[0]?.outcome, 'refreshed');
    assert.deepEqual(calls, ['a']);
    assert.notEqual(await storedValue('a'), JSON.stringify(stored));
  });

  it('refreshes a token whose refreshAt falls before the next scheduled run', async () => {
    // Prepare: refreshAt = issuedAt + 42 min, i.e. 2 min from now; the next run is in 5 min
    await seedSecrets(['a']);
    await storeEnvelope(envelopeFor('a', Date.now() - 40 * 60_000));
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), {
      ...clients,
      login,
      scheduleSeconds: 300,
    });
    // Assess
    assert.equal(results[0]?.outcome, 'refreshed');
    assert.match(results[0]?.reason ?? '', /due for refresh/);
    assert.deepEqual(calls, ['a']);
  });

  it('refreshes an expired, an unreadable and a pending stored value', async () => {
    // Prepare
    await seedSecrets(['expired', 'garbled', 'pending']);
    await storeEnvelope(envelopeFor('expired', Date.now() - 2 * 3_600_000));
    const ssm = new SSMClient({});
    for (const [name, value] of [
      ['garbled', '{"version":1'],
      ['pending', PENDING_TOKEN_VALUE],
    ] as const) {
      await ssm.send(
        new PutParameterCommand({ Name: `${PREFIX}/${name}`, Value: value, Type: 'SecureString' }),
      );
    }
    const { login } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['expired', 'garbled', 'pending']), {
      ...clients,
      login,
    });
    // Assess
    assert.deepEqual(
      results.map((result) => [result.name, result.outcome]),
      [
        ['expired', 'refreshed'],
        ['garbled', 'refreshed'],
        ['pending', 'refreshed'],
      ],
    );
    assert.match(results[0]?.reason ?? '', /expired at/);
    assert.match(results[1]?.reason ?? '', /unreadable/);
    assert.match(results[2]?.reason ?? '', /no token is stored/);
  });

  it('fails only the instance whose secret is missing, naming the instance and the secret', async () => {
    // Prepare
    await seedSecrets(['a', 'c']);
    const { login } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a', 'b', 'c']), {
      ...clients,
      login,
    });
    // Assess
    assert.deepEqual(
      results.map((result) => result.outcome),
      ['refreshed', 'failed', 'refreshed'],
    );
    assert.match(
      results[1]?.reason ?? '',
      /instance "b".*secret \/token-broker\/test\/b does not exist/,
    );
  });

  it('fails an instance whose secret is malformed without echoing its value', async () => {
    // Prepare
    await seedSecrets(['a'], () => JSON.stringify({ clientId: 'x', password: 'hunter2-secret' }));
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), { ...clients, login });
    // Assess
    assert.equal(results[0]?.outcome, 'failed');
    assert.match(results[0]?.reason ?? '', /instance "a": invalid credentials/);
    assert.doesNotMatch(results[0]?.reason ?? '', /hunter2/);
    assert.deepEqual(calls, []);
  });

  it('keeps the stored token when the login fails', async () => {
    // Prepare: the stored token is due but still valid for 10 minutes
    await seedSecrets(['a', 'b']);
    const stored = envelopeFor('a', Date.now() - 50 * 60_000);
    await storeEnvelope(stored);
    const { login } = fakeLogin({
      fail: (instance) =>
        instance.name === 'a' ? new Error('instance "a": the server said 401') : undefined,
    });
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a', 'b']), { ...clients, login });
    // Assess
    assert.equal(results[0]?.outcome, 'failed');
    assert.equal(results[0]?.reason, 'Error: instance "a": the server said 401');
    assert.equal(results[0]?.expiresAt, stored.expiresAt);
    assert.equal(results[1]?.outcome, 'refreshed');
    assert.equal(await storedValue('a'), JSON.stringify(stored));
  });

  it('publishes a newer login even when the stored token claims to expire later', async () => {
    // Prepare: stored token is due (refreshAt passed) but expires in 1 h; the new one in 30 min
    await seedSecrets(['a']);
    const stored = envelopeFor('a', Date.now() - 10 * 3_600_000, 11 * 3_600_000);
    await storeEnvelope(stored);
    const { login, calls } = fakeLogin({ lifetimeMs: 30 * 60_000 });
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), { ...clients, login });
    // Assess: judged by when each login started, so a bogus lifetime cannot pin a token
    assert.deepEqual(calls, ['a']);
    assert.equal(results[0]?.outcome, 'refreshed');
    assert.notEqual(await storedValue('a'), JSON.stringify(stored));
  });

  it('replaces a token pinned by a 10-year lifetime when forced', async () => {
    // Prepare: a fresh token that claims to live ten years
    await seedSecrets(['a']);
    const pinned = envelopeFor('a', Date.now() - 60_000, 10 * 365 * 86_400_000);
    await storeEnvelope(pinned);
    const { login } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), {
      ...clients,
      login,
      force: true,
    });
    // Assess
    assert.equal(results[0]?.outcome, 'refreshed');
    assert.notEqual(await storedValue('a'), JSON.stringify(pinned));
  });

  it('defers, without failing, the instances it has no time left for', async () => {
    // Prepare
    await seedSecrets(['a']);
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), {
      ...clients,
      login,
      remainingTimeMs: () => 20_000,
    });
    // Assess
    assert.equal(results[0]?.outcome, 'deferred');
    assert.match(results[0]?.reason ?? '', /not attempted: 20 s left.*the next run takes it/);
    assert.deepEqual(calls, []);
    assert.equal(await storedValue('a'), undefined);
    assert.equal(await stateRecord('a'), undefined, 'a deferral writes nothing');
  });

  it('counts the paced publish wait in the time an attempt needs', async () => {
    // Prepare: 60 s left is enough for a login (45 s) and a publish (5 s), not a 17.5 s queue too
    // (eight logins in flight may each queue a PutParameter at 0.4/s)
    await seedSecrets(['a']);
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), {
      ...clients,
      login,
      remainingTimeMs: () => 60_000,
      pacers: createPacers({
        ...pacingLimits.standard,
        putParameter: { ratePerSecond: 0.4, burst: 1 },
      }),
    });
    // Assess
    assert.equal(results[0]?.outcome, 'deferred');
    assert.deepEqual(calls, []);
  });

  it('attempts the most urgent instances first: missing, then expired, then earliest expiry', async () => {
    // Prepare: all four are due; time runs out after two logins
    const names = ['later', 'missing', 'sooner', 'expired'];
    await seedSecrets(names);
    const now = Date.now();
    await storeEnvelope(envelopeFor('later', now - 50 * 60_000, 3_600_000));
    await storeEnvelope(envelopeFor('sooner', now - 55 * 60_000, 3_600_000));
    await storeEnvelope(envelopeFor('expired', now - 2 * 3_600_000, 3_600_000));
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(names), {
      ...clients,
      login,
      concurrency: 1,
      remainingTimeMs: () => (calls.length < 3 ? 600_000 : 1_000),
    });
    // Assess: results keep configuration order; the logins went by urgency
    assert.deepEqual(calls, ['missing', 'expired', 'sooner']);
    assert.deepEqual(
      results.map((result) => [result.name, result.outcome]),
      [
        ['later', 'deferred'],
        ['missing', 'refreshed'],
        ['sooner', 'refreshed'],
        ['expired', 'refreshed'],
      ],
    );
  });

  it('skips an instance whose secret has no value yet as pending, and refreshes it once it has one', async () => {
    // Prepare: the stack created the secret without a value
    await seedSecrets(['a']);
    await new SecretsManagerClient({}).send(new CreateSecretCommand({ Name: `${PREFIX}/b` }));
    const { login, calls } = fakeLogin();
    // Act
    const first = await runRefreshCycle(oauth2Config(['a', 'b']), { ...clients, login });
    await new SecretsManagerClient({}).send(
      new PutSecretValueCommand({
        SecretId: `${PREFIX}/b`,
        SecretString: JSON.stringify(clientCredentials('b')),
      }),
    );
    const second = await runRefreshCycle(oauth2Config(['a', 'b']), { ...clients, login });
    // Assess
    assert.deepEqual(
      first.results.map((result) => result.outcome),
      ['refreshed', 'pending'],
    );
    assert.match(
      first.results[1]?.reason ?? '',
      /secret \/token-broker\/test\/b has no value yet.*put-credentials b/,
    );
    assert.deepEqual(calls, ['a', 'b']);
    assert.deepEqual(
      second.results.map((result) => result.outcome),
      ['skipped', 'refreshed'],
    );
    assert.equal((await stateRecord('b'))?.lastResult?.outcome, 'refreshed');
  });

  it('records a pending instance in the state table for status', async () => {
    // Prepare
    await new SecretsManagerClient({}).send(new CreateSecretCommand({ Name: `${PREFIX}/b` }));
    const { login } = fakeLogin();
    // Act
    await runRefreshCycle(oauth2Config(['b']), { ...clients, login });
    // Assess
    const record = await stateRecord('b');
    assert.equal(record?.lastResult?.outcome, 'pending');
    assert.equal(record?.released, true);
  });

  it('fails with one error naming the state table when it does not exist', async () => {
    // Prepare
    await seedSecrets(['a']);
    const { login, calls } = fakeLogin();
    const config = { ...oauth2Config(['a']), stateTable: 'no-such-table' };
    // Act & Assess
    await assert.rejects(
      runRefreshCycle(config, { ...clients, login }),
      (error: unknown) =>
        error instanceof StateTableMissingError &&
        /state table no-such-table does not exist.*token-broker init/.test(error.message),
    );
    assert.deepEqual(calls, []);
  });

  it('does not publish when another run took the lease over during the login', async () => {
    // Prepare: the login outlives the lease; meanwhile another run takes it over
    await seedSecrets(['a']);
    const { login } = fakeLogin();
    const outrun: typeof login = async (instance, credentials, options) => {
      const envelope = await login(instance, credentials, options);
      await putStateRecord('a', {
        owner: 'winner',
        leaseUntil: Date.now() + 60_000,
        released: false,
      });
      return envelope;
    };
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), { ...clients, login: outrun });
    // Assess
    assert.equal(results[0]?.outcome, 'skipped');
    assert.match(results[0]?.reason ?? '', /another run took the login lease over/);
    assert.equal(await storedValue('a'), undefined, 'nothing was published');
    const record = await stateRecord('a');
    assert.equal(record?.owner, 'winner', "the winner's record is kept");
    assert.equal(record?.released, false);
  });

  it('takes over a lease that a clock running two hours fast wrote', async () => {
    // Prepare: a skewed container's lease, and its envelope issued "in the future"
    await seedSecrets(['a', 'b']);
    const twoHours = 2 * 3_600_000;
    await putStateRecord('a', {
      owner: 'skewed',
      leaseUntil: Date.now() + twoHours,
      released: true,
    });
    await storeEnvelope(envelopeFor('b', Date.now() + twoHours - 3_500_000));
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a', 'b']), {
      ...clients,
      login,
      force: true,
    });
    // Assess
    assert.deepEqual(
      results.map((result) => result.outcome),
      ['refreshed', 'refreshed'],
    );
    assert.deepEqual([...calls].sort(), ['a', 'b']);
  });

  it("logs the login's notices, such as a capped lifetime, naming the instance", async () => {
    // Prepare
    await seedSecrets(['a']);
    const { login } = fakeLogin();
    const noticing: typeof login = async (instance, credentials, options) => {
      options.onNotice?.('instance "a": the lifetime is capped at maxLifetimeSeconds (86400 s)');
      return login(instance, credentials, options);
    };
    const capture = captureConsole();
    try {
      const logger = new Logger({ serviceName: RefresherMetrics.serviceName });
      // Act
      await runRefreshCycle(oauth2Config(['a']), { ...clients, login: noticing, logger });
    } finally {
      capture.restore();
    }
    // Assess
    const notice = capture
      .records()
      .find((record) => String(record.message).includes('capped at maxLifetimeSeconds'));
    assert.equal(notice?.level, 'WARN');
    assert.equal(notice?.instance, 'a');
  });

  it('makes one login for twenty racing on-demand requests, and tells the others its age', async () => {
    // Prepare: a valid token the API refused; twenty readers ask at once
    await seedSecrets(['a']);
    await storeEnvelope(envelopeFor('a', Date.now() - 60_000));
    const { login, calls } = fakeLogin({ delayMs: 50 });
    const config = oauth2Config(['a']);
    // Act
    const runs = await Promise.all(
      Array.from({ length: 20 }, () =>
        runRefreshCycle(config, { ...clients, login, onDemand: true }),
      ),
    );
    // Assess
    assert.equal(calls.length, 1, JSON.stringify(runs.map((run) => run.results[0])));
    const outcomes = runs.map((run) => run.results[0]?.outcome);
    assert.equal(outcomes.filter((outcome) => outcome === 'refreshed').length, 1);
    assert.equal(outcomes.filter((outcome) => outcome === 'skipped').length, 19);
  });

  it('logs in on demand again once the on-demand cooldown has passed', async () => {
    // Prepare
    await seedSecrets(['a']);
    let offsetMs = 0;
    const now = () => Date.now() + offsetMs;
    const { login, calls } = fakeLogin();
    const config = oauth2Config(['a']);
    await runRefreshCycle(config, { ...clients, login, now, onDemand: true });
    // Act
    offsetMs = 10_000;
    const within = await runRefreshCycle(config, { ...clients, login, now, onDemand: true });
    offsetMs = 31_000;
    const afterCooldown = await runRefreshCycle(config, { ...clients, login, now, onDemand: true });
    const forced = await runRefreshCycle(config, { ...clients, login, now, force: true });
    // Assess
    assert.equal(within.results[0]?.outcome, 'skipped');
    assert.match(
      within.results[0]?.reason ?? '',
      /^refreshed 10 s ago: an on-demand refresh logs in at most once per 30 s$/,
    );
    assert.equal(afterCooldown.results[0]?.outcome, 'refreshed');
    assert.equal(
      forced.results[0]?.outcome,
      'refreshed',
      "an operator's force is not rate-limited",
    );
    assert.equal(calls.length, 3);
  });

  it('waits for the TOTP step of the last login when forced, then logs in', async () => {
    // Prepare: a TOTP instance that just logged in (its lease holds until the step ends)
    await seedSecrets(['a'], () =>
      JSON.stringify({ username: 'u', password: 'p', totpSecret: 'JBSWY3DPEHPK3PXP' }),
    );
    let offsetMs = 0;
    const now = () => Date.now() + offsetMs;
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      offsetMs += ms;
    };
    const { login, calls } = crisisworksLogin();
    const config = crisisworksConfig();
    // Act
    const first = await runRefreshCycle(config, { ...clients, login, now, sleep, force: true });
    const second = await runRefreshCycle(config, { ...clients, login, now, sleep, force: true });
    // Assess
    assert.equal(first.results[0]?.outcome, 'refreshed');
    assert.equal(second.results[0]?.outcome, 'refreshed');
    assert.deepEqual(calls, ['a', 'a']);
    assert.equal(waits.length, 1);
    assert.ok((waits[0] ?? 0) > 0 && (waits[0] ?? 0) <= 32_000, `waited ${waits[0]} ms`);
  });

  it('does not wait for the TOTP step when not forced', async () => {
    // Prepare
    await seedSecrets(['a'], () =>
      JSON.stringify({ username: 'u', password: 'p', totpSecret: 'JBSWY3DPEHPK3PXP' }),
    );
    const sleep = async () => assert.fail('no wait expected');
    const { login, calls } = crisisworksLogin();
    const config = crisisworksConfig();
    await runRefreshCycle(config, { ...clients, login, sleep, force: true });
    // Act: the token is now fresh; a token deleted by hand makes the instance due again
    await new SSMClient({}).send(new DeleteParameterCommand({ Name: `${PREFIX}/a` }));
    const { results } = await runRefreshCycle(config, { ...clients, login, sleep });
    // Assess
    assert.equal(results[0]?.outcome, 'skipped');
    assert.match(results[0]?.reason ?? '', /logged in less than a TOTP step ago/);
    assert.deepEqual(calls, ['a']);
  });

  it('aborts a login that outlasts its timeout and publishes nothing', async () => {
    // Prepare
    await seedSecrets(['a']);
    const { login } = fakeLogin({ delayMs: 300 });
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), {
      ...clients,
      login,
      loginTimeoutMs: 50,
    });
    // Assess
    assert.equal(results[0]?.outcome, 'failed');
    assert.match(results[0]?.reason ?? '', /TimeoutError/);
    assert.equal(await storedValue('a'), undefined);
  });

  it('logs in once per instance when two runs race', async () => {
    // Prepare
    const names = ['a', 'b', 'c', 'd'];
    await seedSecrets(names);
    const { login, calls } = fakeLogin({ delayMs: 200 });
    const config = oauth2Config(names);
    // Act
    const [first, second] = await Promise.all([
      runRefreshCycle(config, { ...clients, login }),
      runRefreshCycle(config, { ...clients, login, force: true }),
    ]);
    // Assess
    assert.deepEqual([...calls].sort(), names);
    for (const index of names.keys()) {
      const outcomes = [first.results[index]?.outcome, second.results[index]?.outcome].sort();
      assert.deepEqual(outcomes, ['refreshed', 'skipped']);
    }
  });

  it('skips an instance whose lease another live run holds, and takes over an expired one', async () => {
    // Prepare
    await seedSecrets(['held', 'stale']);
    for (const [name, minutes] of [
      ['held', 1],
      ['stale', -1],
    ] as const) {
      await putStateRecord(name, {
        owner: 'other-run',
        leaseUntil: Date.now() + minutes * 60_000,
        released: false,
      });
    }
    const { login, calls } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['held', 'stale']), {
      ...clients,
      login,
    });
    // Assess
    assert.equal(results[0]?.outcome, 'skipped');
    assert.match(results[0]?.reason ?? '', /another run is logging in/);
    assert.equal(results[1]?.outcome, 'refreshed');
    assert.deepEqual(calls, ['stale']);
    const released = await stateRecord('stale');
    assert.equal(released?.released, true, 'the lease taken over is released after the publish');
    assert.equal(released?.lastResult?.outcome, 'refreshed');
  });

  it('rejects names that are not configured before touching any instance', async () => {
    // Prepare
    const { login, calls } = fakeLogin();
    // Act & Assess
    await assert.rejects(
      runRefreshCycle(oauth2Config(['a']), { ...clients, login, names: ['a', 'nope'] }),
      (error: unknown) => error instanceof RefreshEventError && /"nope"/.test(error.message),
    );
    assert.deepEqual(calls, []);
  });

  it('rejects a lease no longer than a login plus its publish', async () => {
    // Prepare
    const { login } = fakeLogin();
    // Act & Assess
    await assert.rejects(
      runRefreshCycle(oauth2Config(['a']), { ...clients, login, loginTimeoutMs: 85_000 }),
      /leaseMs must exceed loginTimeoutMs \+ publishReserveMs/,
    );
  });

  it('logs each instance by name and emits per-instance metrics, never a secret or token', async () => {
    // Prepare
    await seedSecrets(['a', 'b']);
    const { login } = fakeLogin({
      fail: (instance) => (instance.name === 'b' ? new Error('instance "b": refused') : undefined),
    });
    const capture = captureConsole();
    let results: Awaited<ReturnType<typeof runRefreshCycle>>['results'];
    try {
      const logger = new Logger({ serviceName: RefresherMetrics.serviceName });
      const metrics = new Metrics({
        namespace: RefresherMetrics.namespace,
        serviceName: RefresherMetrics.serviceName,
      });
      // Act
      ({ results } = await runRefreshCycle(oauth2Config(['a', 'b']), {
        ...clients,
        login,
        logger,
        metrics,
      }));
    } finally {
      capture.restore();
    }
    // Assess
    const records = capture.records();
    const instanceLines = records.filter(
      (record) =>
        typeof record.message === 'string' &&
        /^instance (refreshed|failed)/.test(record.message as string),
    );
    assert.deepEqual(instanceLines.map((record) => [record.instance, record.level]).sort(), [
      ['a', 'INFO'],
      ['b', 'ERROR'],
    ]);
    const emf = records.filter((record) => record._aws !== undefined);
    const metric = (name: string, instance?: string) =>
      emf.filter((record) => record[name] !== undefined && record.Instance === instance);
    assert.equal(metric(RefresherMetrics.refreshSucceeded, 'a').length, 1);
    assert.equal(metric(RefresherMetrics.refreshFailed, 'b').length, 1);
    assert.equal(metric(RefresherMetrics.loginLatency, 'a').length, 1);
    const secondsToExpiry = Number(
      metric(RefresherMetrics.secondsToExpiry, 'a')[0]?.SecondsToExpiry,
    );
    assert.ok(secondsToExpiry > 3590 && secondsToExpiry <= 3600, `${secondsToExpiry}`);
    assert.equal(metric(RefresherMetrics.secondsToExpiry, 'b')[0]?.SecondsToExpiry, 0);
    assert.equal(metric(RefresherMetrics.cycleSucceeded).length, 0, 'a run with a failure');
    const output = capture.lines.join('\n');
    const token = parseEnvelopeJson((await storedValue('a')) ?? '');
    assert.ok(token.ok);
    for (const secret of [
      clientCredentials('a').clientSecret,
      clientCredentials('b').clientSecret,
      token.envelope.token,
    ]) {
      assert.equal(output.includes(secret), false, 'a secret or token was written');
    }
    assert.equal(results.length, 2);
  });
});

/** A fake login returning Crisisworks envelopes. */
function crisisworksLogin() {
  const { login, calls } = fakeLogin();
  const crisisworks: typeof login = async (instance, credentials, options) => ({
    ...(await login(instance, credentials, options)),
    provider: 'crisisworks',
  });
  return { login: crisisworks, calls };
}

/** One Crisisworks instance "a" (its credentials may carry a TOTP seed). */
function crisisworksConfig() {
  return parseBrokerConfig(
    {
      parameterPrefix: PREFIX,
      instances: [
        {
          name: 'a',
          type: 'crisisworks',
          baseUrl: 'http://127.0.0.1:9',
          site: 'x',
          client: { uuid: 'u', platform: 'p', name: 'n', version: '1' },
        },
      ],
    },
    'test',
  );
}
