import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { StateTableMissingError } from '../../../lambdas/refresher/errors.ts';
import {
  EMPTY_RECORD,
  ensureStateTable,
  type LastResult,
  lastResultOf,
  loginCooldownEnd,
  MAX_LAST_RESULT_REASON,
  parseRecord,
  StateTable,
} from '../../../lambdas/refresher/StateTable.ts';
import { useMoto } from '../../support/moto.ts';
import { createStateTable, putStateRecord, STATE_TABLE, stateRecord } from './fixtures.ts';

/** The start of a TOTP step (a multiple of 30 s). */
const STEP_START = Date.parse('2026-11-23T12:00:00.000Z');
const TOTP_CREDENTIALS = { username: 'u', password: 'p', totpSecret: 'JBSWY3DPEHPK3PXP' };
const LEASE_MS = 60_000;
const PLAUSIBLE_MS = 120_000;
const failedAt = (at: number): LastResult => ({
  outcome: 'failed',
  at: new Date(at).toISOString(),
  reason: 'InvalidCredentialsError: refused',
});

describe('Class: StateTable', () => {
  useMoto({ resetEach: true, prepare: () => createStateTable() });
  let now = STEP_START;
  let table: StateTable;
  const acquire = (owner: string, instance = 'a') =>
    table.acquire(instance, owner, LEASE_MS, PLAUSIBLE_MS);
  beforeEach(() => {
    now = STEP_START + 2000;
    table = new StateTable({
      dynamodb: new DynamoDBClient({}),
      tableName: STATE_TABLE,
      now: () => now,
    });
  });

  describe('Method: acquire', () => {
    it('grants the lease to the first run and reports its expiry to the second', async () => {
      // Act
      const first = await acquire('one');
      const second = await acquire('two');
      // Assess
      assert.equal(first.acquired, true);
      assert.deepEqual(second, { acquired: false, heldUntil: now + LEASE_MS, cooldown: false });
      assert.deepEqual(await stateRecord('a'), {
        owner: 'one',
        leaseUntil: now + LEASE_MS,
        released: false,
      });
    });

    it('grants a free lease, and an expired one, to exactly one of many concurrent takers', async () => {
      for (const setup of ['free', 'expired']) {
        // Prepare
        if (setup === 'expired') {
          await acquire('crashed', setup);
          now += LEASE_MS + 1;
        }
        // Act
        const attempts = await Promise.all(
          Array.from({ length: 12 }, (_, index) => acquire(`taker-${index}`, setup)),
        );
        // Assess
        assert.equal(attempts.filter((attempt) => attempt.acquired).length, 1, setup);
      }
    });

    it('takes over a lease that lies further ahead than a correct clock could have written', async () => {
      // Prepare: written by a container whose clock runs two hours fast
      await putStateRecord('a', { owner: 'skewed', leaseUntil: now + 7_200_000, released: false });
      // Act
      const attempt = await acquire('one');
      // Assess
      assert.equal(attempt.acquired, true);
      assert.equal((await stateRecord('a'))?.owner, 'one');
    });

    it('treats an item it did not write as an ended lease', async () => {
      // Prepare
      await new DynamoDBClient({}).send(
        new PutItemCommand({
          TableName: STATE_TABLE,
          Item: { instance: { S: 'a' }, leaseUntil: { N: '0' }, garbage: { S: 'x' } },
        }),
      );
      // Act
      const attempt = await acquire('one');
      // Assess
      assert.equal(attempt.acquired, true);
    });

    it('names the table, and how to create it, when it does not exist', async () => {
      // Prepare
      const missing = new StateTable({
        dynamodb: new DynamoDBClient({}),
        tableName: 'no-such-table',
        now: () => now,
      });
      // Act & Assess
      await assert.rejects(
        missing.acquire('a', 'one', LEASE_MS, PLAUSIBLE_MS),
        (error: unknown) =>
          error instanceof StateTableMissingError &&
          error.message ===
            'state table no-such-table does not exist: deploy the stack, or create it with "token-broker init --config FILE"',
      );
    });
  });

  describe('Method: fence', () => {
    it('renews the lease of its owner, and refuses once another run took it over', async () => {
      // Prepare
      const first = await acquire('one');
      assert.ok(first.acquired);
      // Act
      const held = await first.lease.fence(now + 5_000);
      now += LEASE_MS + 10_000;
      await acquire('two');
      const lost = await first.lease.fence(now + 5_000);
      // Assess
      assert.equal(held, true);
      assert.equal(lost, false);
      assert.equal((await stateRecord('a'))?.owner, 'two');
    });

    it('renews a lease that ran out while nobody took it over', async () => {
      // Prepare
      const first = await acquire('one');
      assert.ok(first.acquired);
      now += LEASE_MS + 10_000;
      // Act
      const held = await first.lease.fence(now + 5_000);
      // Assess
      assert.equal(held, true);
      assert.equal((await stateRecord('a'))?.leaseUntil, now + 5_000);
    });
  });

  describe('Method: release', () => {
    it('records the result and frees a lease without TOTP at once', async () => {
      // Prepare
      const first = await acquire('one');
      assert.ok(first.acquired);
      // Act
      const released = await first.lease.release({ freeAt: now, lastResult: failedAt(now) });
      // Assess
      assert.equal(released, true);
      assert.deepEqual(await stateRecord('a'), {
        owner: 'one',
        leaseUntil: now,
        released: true,
        lastResult: failedAt(now),
      });
      now += 1;
      assert.equal((await acquire('two')).acquired, true);
    });

    it('never overwrites the record of the run that took its lease over', async () => {
      // Prepare
      const first = await acquire('one');
      assert.ok(first.acquired);
      now += LEASE_MS + 1;
      const second = await acquire('two');
      assert.ok(second.acquired);
      await second.lease.release({ freeAt: now, lastResult: failedAt(now) });
      // Act
      const released = await first.lease.release({
        freeAt: now,
        lastResult: { outcome: 'refreshed', at: new Date(now).toISOString() },
      });
      // Assess
      assert.equal(released, false);
      assert.deepEqual(await stateRecord('a'), {
        owner: 'two',
        leaseUntil: now,
        released: true,
        lastResult: failedAt(now),
      });
    });

    it('holds the lease after a TOTP login until its step has ended, then lets the next run in', async () => {
      // Prepare
      const first = await acquire('one');
      assert.ok(first.acquired);
      now += 3000; // the login ended 5 s into the step
      const cooldownEnd = loginCooldownEnd(TOTP_CREDENTIALS, now);
      // Act
      await first.lease.release({ freeAt: cooldownEnd, lastResult: undefined });
      now += 10_000;
      const within = await acquire('two');
      now = cooldownEnd + 1;
      const afterStep = await acquire('three');
      // Assess
      assert.equal(cooldownEnd, STEP_START + 31_000, 'step end plus 1 s margin');
      assert.deepEqual(within, { acquired: false, heldUntil: STEP_START + 31_000, cooldown: true });
      assert.equal(afterStep.acquired, true);
    });

    it('keeps the last result through a lease that records none (a skip)', async () => {
      // Prepare
      const first = await acquire('one');
      assert.ok(first.acquired);
      await first.lease.release({ freeAt: now, lastResult: failedAt(now) });
      now += 1000;
      // Act
      const second = await acquire('two');
      assert.ok(second.acquired);
      await second.lease.release({ freeAt: now, lastResult: undefined });
      // Assess
      assert.deepEqual((await stateRecord('a'))?.lastResult, failedAt(now - 1000));
    });
  });

  describe('Method: readRecords', () => {
    it('reads more than one batch of records, with an empty record for instances without one', async () => {
      // Prepare
      const names = Array.from({ length: 150 }, (_, index) => `i${index}`);
      for (const name of names.slice(0, 120)) {
        const attempt = await acquire('one', name);
        assert.ok(attempt.acquired);
      }
      // Act
      const records = await table.readRecords(names);
      // Assess
      assert.equal(records.size, 150);
      assert.equal(records.get('i119')?.owner, 'one');
      assert.deepEqual(records.get('i120'), EMPTY_RECORD);
    });

    it('names the table when it does not exist', async () => {
      // Prepare
      const missing = new StateTable({
        dynamodb: new DynamoDBClient({}),
        tableName: 'no-such-table',
        now: () => now,
      });
      // Act & Assess
      await assert.rejects(missing.readRecords(['a', 'b']), StateTableMissingError);
    });
  });
});

describe('Function: ensureStateTable', () => {
  useMoto();

  it('creates the table once and is idempotent', async () => {
    // Prepare
    const dynamodb = new DynamoDBClient({});
    // Act
    const first = await ensureStateTable(dynamodb, 'tb-init-state');
    const second = await ensureStateTable(dynamodb, 'tb-init-state');
    // Assess
    assert.equal(first, true);
    assert.equal(second, false);
    const table = new StateTable({ dynamodb, tableName: 'tb-init-state', now: Date.now });
    assert.equal((await table.acquire('a', 'one', LEASE_MS, PLAUSIBLE_MS)).acquired, true);
  });
});

describe('Function: parseRecord', () => {
  it('drops an invalid last result and keeps the lease', () => {
    // Act
    const record = parseRecord({
      instance: { S: 'a' },
      owner: { S: 'one' },
      leaseUntil: { N: '5' },
      released: { BOOL: true },
      lastResult: { M: { outcome: { S: 'exploded' }, at: { S: 'now' } } },
    });
    // Assess
    assert.deepEqual(record, { owner: 'one', leaseUntil: 5, released: true });
  });
});

describe('Function: lastResultOf', () => {
  it('records refreshed, failed and pending attempts, not skips or deferrals', () => {
    // Act & Assess
    assert.equal(lastResultOf({ outcome: 'skipped', reason: 'fresh' }, 0), undefined);
    assert.equal(lastResultOf({ outcome: 'deferred', reason: 'no time' }, 0), undefined);
    assert.deepEqual(lastResultOf({ outcome: 'pending', reason: 'no value' }, 0), {
      outcome: 'pending',
      at: '1970-01-01T00:00:00.000Z',
      reason: 'no value',
    });
  });

  it('caps a long reason', () => {
    // Act
    const result = lastResultOf({ outcome: 'failed', reason: 'x'.repeat(5000) }, 0);
    // Assess
    assert.equal(result?.reason?.length, MAX_LAST_RESULT_REASON);
  });
});
