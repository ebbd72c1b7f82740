import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvalidCredentialsError, loginInstance } from '../../../lambdas/providers/index.ts';
import {
  MemoryTotpStepStore,
  TOTP_PERIOD_SECONDS,
  TotpGuard,
  totpCode,
} from '../../../lambdas/totp/index.ts';
import {
  crisisworksInstance,
  type FakeProviderServer,
  randomTotpSeed,
  startFakeCrisisworks,
} from '../../fakes/index.ts';

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;
const PASSWORD = 'cw-replay-Pass:1';

describe('Function: loginInstance (a TOTP code refused right after another recorded use)', () => {
  const seed = randomTotpSeed();
  /** One clock for the vendor and the client, moved by the client's waits. */
  let now = Math.floor(Date.now() / STEP_MS) * STEP_MS + 5_000;
  let cw: FakeProviderServer;
  before(async () => {
    cw = await startFakeCrisisworks({
      site: 'sandbox',
      username: 'api',
      password: PASSWORD,
      totpSecret: seed,
      now: () => now,
    });
  });
  after(async () => {
    await cw.close();
  });

  /** A guard whose store recorded a use of the seed in the previous step. */
  function guardAfterRecordedUse() {
    const steps = new MemoryTotpStepStore();
    const guard = new TotpGuard({
      steps,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      minRemainingMs: 0,
    });
    return { guard, steps };
  }

  /** Someone else (unrecorded) logs in with the current step's code first. */
  async function loginElsewhere(): Promise<void> {
    const response = await fetch(`${cw.url}/api/json/auth`, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json;charset=UTF-8',
        'X-Site': 'sandbox',
      },
      body: JSON.stringify({
        version: '1',
        uuid: 'https://ops.example.org',
        platform: 'Linux',
        name: 'token-broker',
        username: 'api',
        password: PASSWORD,
        mfaCode: totpCode(seed, now),
      }),
    });
    assert.equal(response.status, 200);
  }

  it("retries once with the next step's code and says it was a likely replay", async () => {
    // Prepare: the previous step's use was recorded; this step's code was spent elsewhere
    const { guard } = guardAfterRecordedUse();
    await guard.nextCode(seed); // the recorded use, one step back
    now += STEP_MS;
    await loginElsewhere();
    const notices: string[] = [];
    const requests = cw.requests;
    // Act
    const envelope = await loginInstance(
      crisisworksInstance(cw.url, 'sandbox'),
      { username: 'api', password: PASSWORD, totpSecret: seed },
      { totpGuard: guard, now: () => now, onNotice: (message) => notices.push(message) },
    );
    // Assess
    assert.equal(envelope.name, 'cw');
    assert.equal(cw.requests - requests, 2, 'one refused login, one retry');
    assert.equal(notices.length, 1);
    assert.match(
      notices[0] ?? '',
      /refused within a step of another use of this seed .* a likely replay; retrying once/,
    );
    assert.ok(!notices[0]?.includes(seed) && !notices[0]?.includes(PASSWORD));
  });

  /** A login that the fake refuses whatever the code: the password is wrong. */
  const loginWithWrongPassword = (guard: TotpGuard) =>
    loginInstance(
      crisisworksInstance(cw.url, 'sandbox'),
      { username: 'api', password: 'not-the-password', totpSecret: seed },
      { totpGuard: guard, now: () => now },
    );

  it('reports credentials refused in two steps in a row, naming the likely replay, never a secret', async () => {
    // Prepare
    now += 2 * STEP_MS;
    const { guard } = guardAfterRecordedUse();
    await guard.nextCode(seed);
    now += STEP_MS;
    const requests = cw.requests;
    // Act & Assess
    await assert.rejects(
      loginWithWrongPassword(guard),
      (error: unknown) =>
        error instanceof InvalidCredentialsError &&
        /refused in two TOTP steps in a row .*looked like a replay/.test(error.message) &&
        !error.message.includes('not-the-password') &&
        !error.message.includes(seed),
    );
    assert.equal(cw.requests - requests, 2);
  });

  it('does not retry a refusal when no use of the seed was recorded just before', async () => {
    // Prepare
    now += 2 * STEP_MS;
    const { guard } = guardAfterRecordedUse();
    const requests = cw.requests;
    // Act & Assess
    await assert.rejects(loginWithWrongPassword(guard), InvalidCredentialsError);
    assert.equal(cw.requests - requests, 1);
  });
});
