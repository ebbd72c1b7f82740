import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { InstanceLock } from '../../lambdas/refresher/InstanceLock.ts';
import { loginCooldownEnd } from '../../lambdas/refresher/loginCooldownEnd.ts';
import type { LastResult } from '../../lambdas/refresher/RefreshRecord.ts';
import { type Moto, startMoto } from '../support/moto.ts';
import { PREFIX } from './fixtures.ts';

const LOCK = `${PREFIX}/.locks/a`;
/** The start of a TOTP step (a multiple of 30 s). */
const STEP_START = Date.parse('2026-11-23T12:00:00.000Z');
const TOTP_CREDENTIALS = { username: 'u', password: 'p', totpSecret: 'JBSWY3DPEHPK3PXP' };
const failedAt = (at: number): LastResult => ({
  outcome: 'failed',
  at: new Date(at).toISOString(),
  reason: 'InvalidCredentialsError: refused',
});

describe('Class: InstanceLock', () => {
  let moto: Moto;
  let ssm: SSMClient;
  let now = STEP_START;
  const lockOf = (owner: string) =>
    new InstanceLock({
      ssm,
      instance: 'a',
      parameterName: LOCK,
      owner,
      leaseMs: 60_000,
      now: () => now,
    });
  const record = async () => {
    const output = await ssm.send(new GetParameterCommand({ Name: LOCK }));
    return JSON.parse(output.Parameter?.Value ?? '') as Record<string, unknown>;
  };
  const store = (value: string) =>
    ssm.send(new PutParameterCommand({ Name: LOCK, Value: value, Type: 'String' }));
  before(async () => {
    moto = await startMoto();
    ssm = new SSMClient({});
  });
  after(async () => {
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    now = STEP_START + 2000;
  });

  describe('Method: acquire', () => {
    it('grants the lease to the first run and reports its expiry to the second', async () => {
      // Act
      const first = await lockOf('one').acquire();
      const second = await lockOf('two').acquire();
      // Assess
      assert.deepEqual(first, { acquired: true });
      assert.deepEqual(second, {
        acquired: false,
        heldUntil: new Date(now + 60_000).toISOString(),
        cooldown: false,
      });
    });

    it('grants an expired lease to exactly one of many concurrent takers', async () => {
      // Prepare
      await lockOf('crashed').acquire();
      now += 61_000;
      // Act
      const attempts = await Promise.all(
        Array.from({ length: 12 }, (_, index) => lockOf(`taker-${index}`).acquire()),
      );
      // Assess
      assert.equal(attempts.filter((attempt) => attempt.acquired).length, 1);
    });

    it('treats a value it did not write, or an expired lease of the old format, as expired', async () => {
      for (const value of ['garbage', '{"owner":"old","leaseUntil":"2026-01-01T00:00:00Z"}']) {
        // Prepare
        await moto.reset();
        await store(value);
        // Act
        const attempt = await lockOf('one').acquire();
        // Assess
        assert.deepEqual(attempt, { acquired: true }, value);
      }
    });

    it('respects a live lease of the old format as a login in progress', async () => {
      // Prepare
      const until = new Date(now + 30_000).toISOString();
      await store(JSON.stringify({ owner: 'old', leaseUntil: until }));
      // Act
      const attempt = await lockOf('one').acquire();
      // Assess
      assert.deepEqual(attempt, { acquired: false, heldUntil: until, cooldown: false });
    });
  });

  describe('Method: release', () => {
    it('writes the record only for its owner, and frees a lease without TOTP at once', async () => {
      // Prepare
      await lockOf('one').acquire();
      // Act
      const byOther = await lockOf('two').release({ freeAt: now, lastResult: failedAt(now) });
      const stillHeld = await record();
      const byOwner = await lockOf('one').release({ freeAt: now, lastResult: failedAt(now) });
      // Assess
      assert.equal(byOther, undefined);
      assert.deepEqual(stillHeld, {
        owner: 'one',
        leaseUntil: new Date(now + 60_000).toISOString(),
      });
      assert.equal(byOwner, undefined);
      assert.deepEqual(await record(), {
        owner: 'one',
        leaseUntil: new Date(now).toISOString(),
        released: true,
        lastResult: failedAt(now),
      });
      now += 1;
      assert.deepEqual(await lockOf('two').acquire(), { acquired: true });
    });

    it('records its release while its lease lasts, over a record a losing taker wrote', async () => {
      // Prepare
      const first = lockOf('one');
      await first.acquire();
      const loser = JSON.stringify({ owner: 'loser', leaseUntil: new Date(now + 60_000) });
      await ssm.send(
        new PutParameterCommand({ Name: LOCK, Value: loser, Type: 'String', Overwrite: true }),
      );
      now += 1000;
      // Act
      const problem = await first.release({ freeAt: now, lastResult: failedAt(now) });
      // Assess
      assert.equal(problem, undefined);
      assert.deepEqual(await record(), {
        owner: 'one',
        leaseUntil: new Date(now).toISOString(),
        released: true,
        lastResult: failedAt(now),
      });
    });

    it('leaves the record alone when its lease ran out and another run took it over', async () => {
      // Prepare
      const first = lockOf('one');
      await first.acquire();
      now += 61_000;
      await lockOf('two').acquire();
      // Act
      const problem = await first.release({ freeAt: now, lastResult: failedAt(now) });
      // Assess
      assert.equal(problem, undefined);
      assert.deepEqual(await record(), {
        owner: 'two',
        leaseUntil: new Date(now + 60_000).toISOString(),
      });
    });

    it('holds the lease after a TOTP login until its step has ended, then lets the next run in', async () => {
      // Prepare
      const first = lockOf('one');
      await first.acquire();
      now += 3000; // the login ended 5 s into the step
      const cooldownEnd = loginCooldownEnd(TOTP_CREDENTIALS, now);
      // Act
      await first.release({ freeAt: cooldownEnd, lastResult: undefined });
      now += 10_000;
      const within = await lockOf('two').acquire();
      now = cooldownEnd + 1;
      const after = await lockOf('three').acquire();
      // Assess
      assert.equal(cooldownEnd, STEP_START + 31_000, 'step end plus 1 s margin');
      assert.deepEqual(within, {
        acquired: false,
        heldUntil: new Date(STEP_START + 31_000).toISOString(),
        cooldown: true,
      });
      assert.deepEqual(after, { acquired: true });
    });

    it('keeps the last result through a lease that records none (a skip)', async () => {
      // Prepare
      const first = lockOf('one');
      await first.acquire();
      await first.release({ freeAt: now, lastResult: failedAt(now) });
      now += 1000;
      const second = lockOf('two');
      // Act
      await second.acquire();
      const duringLease = await record();
      await second.release({ freeAt: now, lastResult: undefined });
      // Assess
      assert.deepEqual(duringLease.lastResult, failedAt(now - 1000));
      assert.deepEqual(await record(), {
        owner: 'two',
        leaseUntil: new Date(now).toISOString(),
        released: true,
        lastResult: failedAt(now - 1000),
      });
    });
  });
});
