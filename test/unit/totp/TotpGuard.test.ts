import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { TotpGuard, totpCode } from '../../../lambdas/totp/index.ts';
import { randomTotpSeed } from '../../fakes/index.ts';

const STEP_MS = 30_000;

/** A clock that only moves when the guard sleeps, and the sleeps it was asked for. */
function fakeTime(start: number) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('Class: TotpGuard', () => {
  describe('Method: nextCode', () => {
    it('hands out the current code at once when the step is fresh and has time left', async () => {
      // Prepare
      const seed = randomTotpSeed();
      const time = fakeTime(1000 * STEP_MS + 1_000);
      const guard = new TotpGuard(time);
      // Act
      const { code, step } = await guard.nextCode(seed);
      // Assess
      assert.equal(step, 1000);
      assert.equal(code, totpCode(seed, time.now()));
      assert.deepEqual(time.sleeps, []);
    });

    it('waits for the next step instead of handing out a code of a spent step again', async () => {
      // Prepare
      const seed = randomTotpSeed();
      const time = fakeTime(1000 * STEP_MS + 1_000);
      const guard = new TotpGuard(time);
      const first = await guard.nextCode(seed);
      time.advance(5_000);
      // Act
      const second = await guard.nextCode(seed);
      // Assess
      assert.deepEqual(time.sleeps, [24_000]);
      assert.equal(second.step, first.step + 1);
      assert.notEqual(second.code, first.code);
      assert.equal(second.code, totpCode(seed, 1001 * STEP_MS));
    });

    it('waits for the next step when fewer than minRemainingMs are left in this one', async () => {
      // Prepare
      const seed = randomTotpSeed();
      const time = fakeTime(1000 * STEP_MS + 28_000);
      const guard = new TotpGuard({ ...time, minRemainingMs: 3_000 });
      // Act
      const { step } = await guard.nextCode(seed);
      // Assess
      assert.deepEqual(time.sleeps, [2_000]);
      assert.equal(step, 1001);
    });

    it('keeps seeds apart: a spent step of one seed does not delay another', async () => {
      // Prepare
      const time = fakeTime(1000 * STEP_MS);
      const guard = new TotpGuard(time);
      await guard.nextCode(randomTotpSeed());
      // Act
      await guard.nextCode(randomTotpSeed());
      // Assess
      assert.deepEqual(time.sleeps, []);
    });

    it('treats the same seed written differently as the same seed', async () => {
      // Prepare
      const seed = randomTotpSeed();
      const time = fakeTime(1000 * STEP_MS);
      const guard = new TotpGuard(time);
      await guard.nextCode(seed);
      // Act
      await guard.nextCode(seed.toLowerCase().replace(/(.{4})/g, '$1 '));
      // Assess
      assert.equal(time.sleeps.length, 1);
    });

    it('never hands out two codes of one step to concurrent callers', async () => {
      // Prepare
      const seed = randomTotpSeed();
      const time = fakeTime(1000 * STEP_MS);
      const guard = new TotpGuard(time);
      // Act
      const codes = await Promise.all([
        guard.nextCode(seed),
        guard.nextCode(seed),
        guard.nextCode(seed),
      ]);
      // Assess
      assert.equal(new Set(codes.map((code) => code.step)).size, 3);
    });

    it('throws the abort reason when the signal aborts while it waits', async () => {
      // Prepare
      const seed = randomTotpSeed();
      const controller = new AbortController();
      const guard = new TotpGuard({
        now: () => 1000 * STEP_MS + 29_000,
        sleep: async () => controller.abort(new Error('deadline')),
      });
      // Act & Assess
      await assert.rejects(guard.nextCode(seed, controller.signal), { message: 'deadline' });
    });

    it('throws InvalidTotpSeedError when the seed is not base32', async () => {
      // Prepare
      const guard = new TotpGuard(fakeTime(0));
      // Act & Assess
      await assert.rejects(guard.nextCode('0000000000000000'), { name: 'InvalidTotpSeedError' });
    });
  });

  describe('Method: nextCode (default clock and timer)', () => {
    afterEach(() => {
      mock.timers.reset();
    });

    it('sleeps on the real timer API until the next step, moved with mock.timers', async () => {
      // Prepare
      mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 2000 * STEP_MS + 10_000 });
      const seed = randomTotpSeed();
      const guard = new TotpGuard();
      const first = await guard.nextCode(seed);
      let settled = false;
      // Act
      const pending = guard.nextCode(seed).then((code) => {
        settled = true;
        return code;
      });
      await Promise.resolve();
      mock.timers.tick(19_999);
      await Promise.resolve();
      const settledEarly = settled;
      mock.timers.tick(1);
      const second = await pending;
      // Assess
      assert.equal(settledEarly, false);
      assert.equal(first.step, 2000);
      assert.equal(second.step, 2001);
      assert.equal(second.code, totpCode(seed, 2001 * STEP_MS));
    });
  });
});
