import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parseBrokerConfig } from '../../../lambdas/config/index.ts';
import { loginInstance } from '../../../lambdas/providers/index.ts';
import { type LoginFunction, runRefreshCycle } from '../../../lambdas/refresher/index.ts';
import { TOTP_PERIOD_SECONDS, TotpGuard, totpStep } from '../../../lambdas/totp/index.ts';
import {
  crisisworksInstance,
  type FakeProviderServer,
  randomTotpSeed,
  startFakeCrisisworks,
} from '../../fakes/index.ts';
import { useMoto } from '../../support/moto.ts';
import { createStateTable, PREFIX, seedSecrets, stateRecord } from './fixtures.ts';

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

/**
 * A login as a new Lambda container would make it: its own TOTP guard, which knows nothing of the
 * codes other containers sent, on the run's clock.
 */
function newContainerLogin(now: () => number): LoginFunction {
  const totpGuard = new TotpGuard({ now, minRemainingMs: 0 });
  return (instance, credentials, options) =>
    loginInstance(instance, credentials, { ...options, totpGuard });
}

describe('Function: runRefreshCycle (TOTP across containers, moto and the fake Crisisworks)', () => {
  useMoto({ resetEach: true });
  const account = { username: 'ops@example.org', password: 'cw-pass-1', totpSecret: '' };
  let crisisworks: FakeProviderServer;
  let config: ReturnType<typeof parseBrokerConfig>;
  beforeEach(async () => {
    await createStateTable();
    account.totpSecret = randomTotpSeed();
    crisisworks = await startFakeCrisisworks({ site: 'sandbox', ...account });
    config = parseBrokerConfig(
      { parameterPrefix: PREFIX, instances: [crisisworksInstance(crisisworks.url, 'sandbox')] },
      'test',
    );
    await seedSecrets(['cw'], () => JSON.stringify(account));
  });
  afterEach(async () => {
    await crisisworks.close();
  });

  it('never logs in twice within one TOTP step, and logs in again after it', async () => {
    // Prepare: a clock 1 s into the current step, frozen for each run
    // (a forced run's wait for the step to end is recorded, and returns at once: the clock stays)
    const stepStart = totpStep(Date.now()) * STEP_MS;
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    const forcedRunAt = (at: number) => {
      const now = () => at;
      return runRefreshCycle(config, { force: true, now, sleep, login: newContainerLogin(now) });
    };
    // Act
    const first = await forcedRunAt(stepStart + 1000);
    const sameStep = await forcedRunAt(stepStart + 10_000);
    const nextStep = await forcedRunAt(stepStart + STEP_MS + 2000);
    // Assess
    assert.equal(first.results[0]?.outcome, 'refreshed');
    assert.equal(sameStep.results[0]?.outcome, 'skipped');
    assert.equal(
      sameStep.results[0]?.reason,
      `logged in less than a TOTP step ago (next login from ${new Date(stepStart + STEP_MS + 1000).toISOString()})`,
    );
    assert.deepEqual(waits, [STEP_MS + 1000 - 10_000], 'the forced run waited for the step to end');
    assert.equal(nextStep.results[0]?.outcome, 'refreshed', nextStep.results[0]?.reason);
    assert.equal(crisisworks.logins, 2);
    assert.equal(crisisworks.requests, 2, 'no login was sent within the first step');
    const state = await stateRecord('cw');
    assert.equal(state?.lastResult?.outcome, 'refreshed');
    assert.equal(state?.lastResult?.at, new Date(stepStart + STEP_MS + 2000).toISOString());
    assert.equal(state?.leaseUntil, stepStart + 2 * STEP_MS + 1000);
  });

  it('records a refused login, and a failure to read the credentials (no cooldown: nothing was sent)', async () => {
    // Prepare
    crisisworks.setMode('reject');
    const rejected = await runRefreshCycle(config, { force: true });
    const afterRejection = await stateRecord('cw');
    const [instance] = config.instances;
    const missingSecret = parseBrokerConfig(
      { ...config, instances: [{ ...instance, secretId: `${PREFIX}/missing` }] },
      'test',
    );
    const later = (afterRejection?.leaseUntil ?? 0) + 1;
    // Act
    const unreadable = await runRefreshCycle(missingSecret, { force: true, now: () => later });
    // Assess
    assert.equal(rejected.results[0]?.outcome, 'failed');
    assert.equal(afterRejection?.lastResult?.outcome, 'failed');
    assert.match(afterRejection?.lastResult?.reason ?? '', /^InvalidCredentialsError: .*"cw"/);
    assert.ok(
      (afterRejection?.leaseUntil ?? 0) > Date.parse(afterRejection?.lastResult?.at ?? ''),
      'a refused TOTP login still spent its step',
    );
    assert.equal(unreadable.results[0]?.outcome, 'failed');
    const { owner: _owner, ...record } = (await stateRecord('cw')) ?? { owner: '' };
    assert.deepEqual(record, {
      lastResult: {
        outcome: 'failed',
        at: new Date(later).toISOString(),
        reason: unreadable.results[0]?.reason,
      },
      leaseUntil: later,
      released: true,
    });
    assert.match(
      unreadable.results[0]?.reason ?? '',
      /credentials secret \S+\/missing does not exist/,
    );
    assert.equal(crisisworks.requests, 1);
  });
});
