import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Context } from 'aws-lambda';
import { createRefreshHandler, RefreshFailedError } from '../../../lambdas/refresher/index.ts';
import { useMoto } from '../../support/moto.ts';
import {
  createStateTable,
  envelopeFor,
  fakeLogin,
  oauth2Config,
  seedSecrets,
  storeEnvelope,
} from './fixtures.ts';

function contextWith(remainingMs: number): Context {
  return {
    functionName: 'refresher',
    awsRequestId: 'request-1',
    getRemainingTimeInMillis: () => remainingMs,
  } as Context;
}

describe('Function: createRefreshHandler', () => {
  useMoto({ resetEach: true, prepare: () => createStateTable() });

  it('returns the summary of a scheduled run', async () => {
    // Prepare
    await seedSecrets(['a', 'b']);
    const { login } = fakeLogin();
    const handler = createRefreshHandler(
      { config: oauth2Config(['a', 'b']), scheduleSeconds: 300 },
      { login },
    );
    // Act
    const summary = await handler(
      { source: 'aws.scheduler', 'detail-type': 'Scheduled Event' },
      contextWith(600_000),
    );
    // Assess
    assert.deepEqual(
      summary.results.map((result) => result.outcome),
      ['refreshed', 'refreshed'],
    );
  });

  it('refreshes only the named instances, forced, on demand', async () => {
    // Prepare
    await seedSecrets(['a', 'b']);
    await storeEnvelope(envelopeFor('a', Date.now()));
    const { login, calls } = fakeLogin();
    const handler = createRefreshHandler(
      { config: oauth2Config(['a', 'b']), scheduleSeconds: 300 },
      { login },
    );
    // Act
    const summary = await handler({ names: ['a'], force: true }, contextWith(600_000));
    // Assess
    assert.deepEqual(
      summary.results.map((result) => [result.name, result.outcome]),
      [['a', 'refreshed']],
    );
    assert.deepEqual(calls, ['a']);
  });

  it('throws after every instance was attempted, naming each failed one and why', async () => {
    // Prepare: "a" has no secret, "b" is refused, "c" works
    await seedSecrets(['b', 'c']);
    const { login, calls } = fakeLogin({
      fail: (instance) =>
        instance.name === 'b' ? new Error('instance "b": invalid client') : undefined,
    });
    const handler = createRefreshHandler(
      { config: oauth2Config(['a', 'b', 'c']), scheduleSeconds: 300 },
      { login },
    );
    // Act & Assess
    await assert.rejects(handler({}, contextWith(600_000)), (error: unknown) => {
      assert.ok(error instanceof RefreshFailedError);
      assert.match(
        error.message,
        /^2 of 3 instance\(s\) failed: a: .*secret .* does not exist.*; b: Error: instance "b": invalid client$/,
      );
      assert.equal(error.results[2]?.outcome, 'refreshed');
      return true;
    });
    assert.deepEqual([...calls].sort(), ['b', 'c']);
  });

  it('starts no login when the invocation is about to time out, deferring without failing', async () => {
    // Prepare
    await seedSecrets(['a']);
    const { login, calls } = fakeLogin();
    const handler = createRefreshHandler(
      { config: oauth2Config(['a']), scheduleSeconds: 300 },
      { login },
    );
    // Act
    const summary = await handler({}, contextWith(10_000));
    // Assess
    assert.equal(summary.results[0]?.outcome, 'deferred');
    assert.match(summary.results[0]?.reason ?? '', /not attempted: 10 s left/);
    assert.deepEqual(calls, []);
  });
});
