import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, retryAfterDelay } from '../../../lambdas/http/index.ts';

describe('Function: backoffDelay', () => {
  it('doubles the ceiling per retry and scales it by the random draw (full jitter)', () => {
    // Prepare
    const policy = { baseDelayMs: 500, maxDelayMs: 8_000, random: () => 0.5 };
    // Act
    const delays = [1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, policy));
    // Assess
    assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 4000]);
  });

  it('can draw zero, so retries from many clients spread out', () => {
    // Act
    const delay = backoffDelay(3, { baseDelayMs: 500, maxDelayMs: 8_000, random: () => 0 });
    // Assess
    assert.equal(delay, 0);
  });
});

describe('Function: retryAfterDelay', () => {
  const now = Date.parse('2026-11-22T09:00:00Z');

  it('reads delay-seconds', () => {
    // Act & Assess
    assert.equal(retryAfterDelay('7', now, 30_000), 7_000);
  });

  it('reads an HTTP-date relative to now', () => {
    // Act & Assess
    assert.equal(retryAfterDelay('Sun, 22 Nov 2026 09:00:12 GMT', now, 30_000), 12_000);
  });

  it('caps a long wait at maxMs', () => {
    // Act & Assess
    assert.equal(retryAfterDelay('3600', now, 30_000), 30_000);
  });

  it('gives zero for an HTTP-date in the past', () => {
    // Act & Assess
    assert.equal(retryAfterDelay('Sun, 22 Nov 2026 08:00:00 GMT', now, 30_000), 0);
  });

  it('gives undefined when the header is absent or unreadable', () => {
    // Act & Assess
    assert.equal(retryAfterDelay(null, now, 30_000), undefined);
    assert.equal(retryAfterDelay('soon', now, 30_000), undefined);
    assert.equal(retryAfterDelay('-5', now, 30_000), undefined);
  });
});
