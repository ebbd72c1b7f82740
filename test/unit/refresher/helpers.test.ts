import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeError } from '../../../lambdas/refresher/errors.ts';
import { mapWithConcurrency } from '../../../lambdas/refresher/mapWithConcurrency.ts';
import { dueReason } from '../../../lambdas/refresher/planRun.ts';
import { envelopeFor } from '../../integration/refresher/fixtures.ts';

describe('Function: dueReason', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  const check = { now, horizonMs: 360_000, force: false };
  // issued 30 min ago, 1 h lifetime: refreshAt = issuedAt + 42 min = 12 min from now
  const fresh = { kind: 'present', envelope: envelopeFor('a', now - 30 * 60_000) } as const;

  it('returns undefined when refreshAt lies beyond the next run plus margin', () => {
    assert.equal(dueReason(fresh, check), undefined);
  });

  it('is due when refreshAt falls within the horizon', () => {
    assert.match(dueReason(fresh, { ...check, horizonMs: 13 * 60_000 }) ?? '', /due for refresh/);
  });

  it('is due when forced, missing, unreadable or expired', () => {
    assert.equal(dueReason(fresh, { ...check, force: true }), 'forced');
    assert.equal(dueReason({ kind: 'missing' }, check), 'no token is stored');
    assert.match(dueReason({ kind: 'unreadable', reason: 'x' }, check) ?? '', /unreadable \(x\)/);
    const expired = { kind: 'present', envelope: envelopeFor('a', now - 2 * 3_600_000) } as const;
    assert.match(dueReason(expired, check) ?? '', /expired at/);
  });
});

describe('Function: mapWithConcurrency', () => {
  it('keeps the input order and never runs more than the limit at once', async () => {
    // Prepare
    let running = 0;
    let peak = 0;
    // Act
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (value) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return value * 10;
    });
    // Assess
    assert.deepEqual(results, [50, 10, 40, 20, 30, 0, 60]);
    assert.equal(peak, 3);
  });

  it('rejects a limit that is not a positive integer', async () => {
    await assert.rejects(
      mapWithConcurrency([1], 0, async (value) => value),
      RangeError,
    );
  });
});

describe('Function: describeError', () => {
  it('keeps name and message on one line and drops the cause', () => {
    // Prepare
    const error = new TypeError('bad\n  thing', { cause: new Error('password=hunter2') });
    // Act & Assess
    assert.equal(describeError(error), 'TypeError: bad thing');
  });

  it('caps the length of a long message', () => {
    assert.equal(describeError(new Error('x'.repeat(2000))).length, 500);
  });
});
