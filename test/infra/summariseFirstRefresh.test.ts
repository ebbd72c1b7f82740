import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summariseFirstRefresh } from '../../infra/components/summariseFirstRefresh.ts';

describe('Function: summariseFirstRefresh', () => {
  it('counts each outcome of the refresher’s answer, deferred and pending included', () => {
    // Prepare
    const result = JSON.stringify({
      results: [
        { name: 'a', outcome: 'refreshed', expiresAt: '2026-12-01T10:00:00.000Z' },
        { name: 'b', outcome: 'refreshed' },
        { name: 'c', outcome: 'deferred', reason: 'no time left in this run' },
        { name: 'd', outcome: 'pending' },
        { name: 'e', outcome: 'skipped', reason: 'fresh' },
      ],
    });
    // Act
    const summary = summariseFirstRefresh(result);
    // Assess
    assert.deepEqual(summary, { skipped: 1, refreshed: 2, failed: 0, deferred: 1, pending: 1 });
  });

  it('counts an empty run as zeros', () => {
    assert.deepEqual(summariseFirstRefresh('{"results":[]}'), {
      skipped: 0,
      refreshed: 0,
      failed: 0,
      deferred: 0,
      pending: 0,
    });
  });

  it('refuses an answer that is not the refresher’s, naming the field', () => {
    // Act + Assess
    assert.throws(() => summariseFirstRefresh('not json'), /returned no JSON/);
    assert.throws(() => summariseFirstRefresh('{"result":[]}'), /unexpected result at results/);
    assert.throws(
      () => summariseFirstRefresh('{"results":[{"name":"a","outcome":"exploded"}]}'),
      /unexpected result at results\.0\.outcome/,
    );
  });
});
