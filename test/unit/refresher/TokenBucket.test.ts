import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { TokenBucket } from '../../../lambdas/refresher/pacing.ts';

/** Lets the promise callbacks that resolved during a tick run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Mocked `setTimeout` and `Date`, starting at epoch 0. */
function fakeTime(t: TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
}

/** Starts `count` acquisitions and records, in order, which one resolved when. */
function acquireMany(bucket: TokenBucket, count: number, signal?: AbortSignal) {
  const served: { index: number; at: number }[] = [];
  const done = Array.from({ length: count }, (_, index) =>
    bucket.acquire(signal).then(() => {
      served.push({ index, at: Date.now() });
    }),
  );
  return { served, done };
}

describe('Class: TokenBucket', () => {
  describe('Method: acquire', () => {
    it('serves the burst at once, then one caller per 1/rate, first come first served', async (t) => {
      // Prepare
      fakeTime(t);
      const bucket = new TokenBucket({ ratePerSecond: 2, burst: 2 });
      // Act
      const { served, done } = acquireMany(bucket, 5);
      await settle();
      for (let step = 0; step < 4; step += 1) {
        t.mock.timers.tick(500);
        await settle();
      }
      await Promise.all(done);
      // Assess
      assert.deepEqual(served, [
        { index: 0, at: 0 },
        { index: 1, at: 0 },
        { index: 2, at: 500 },
        { index: 3, at: 1000 },
        { index: 4, at: 1500 },
      ]);
    });

    it('never lets a newcomer overtake a waiter, even when a token has come back', async (t) => {
      // Prepare
      fakeTime(t);
      const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1 });
      const order: string[] = [];
      await bucket.acquire();
      const waiter = bucket.acquire().then(() => order.push('waiter'));
      // Act: a token is due at 1,000 ms; the newcomer arrives at the same instant
      t.mock.timers.tick(1000);
      const newcomer = bucket.acquire().then(() => order.push('newcomer'));
      await settle();
      t.mock.timers.tick(1000);
      await Promise.all([waiter, newcomer]);
      // Assess
      assert.deepEqual(order, ['waiter', 'newcomer']);
    });

    it('refills at the rate while idle, up to the burst and no further', async (t) => {
      // Prepare
      fakeTime(t);
      const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3 });
      await Promise.all([bucket.acquire(), bucket.acquire(), bucket.acquire()]);
      // Act
      t.mock.timers.tick(60_000);
      const { served, done } = acquireMany(bucket, 4);
      await settle();
      t.mock.timers.tick(100);
      await Promise.all(done);
      // Assess: three at once after a minute idle, the fourth 100 ms later
      assert.deepEqual(
        served.map((entry) => entry.at),
        [60_000, 60_000, 60_000, 60_100],
      );
    });

    it('rejects with the reason of an aborted signal and gives its place to the next', async (t) => {
      // Prepare
      fakeTime(t);
      const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1 });
      await bucket.acquire();
      const controller = new AbortController();
      const aborted = bucket.acquire(controller.signal);
      const next = acquireMany(bucket, 1);
      // Act
      controller.abort(new Error('deadline passed'));
      // Assess
      await assert.rejects(aborted, /deadline passed/);
      assert.equal(bucket.delayMs(), 2000, 'one waiter left, then the caller asking');
      t.mock.timers.tick(1000);
      await Promise.all(next.done);
      assert.deepEqual(next.served, [{ index: 0, at: 1000 }]);
    });

    it('rejects at once for a signal already aborted, without using a token', async () => {
      // Prepare
      const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1 });
      // Act & Assess
      await assert.rejects(bucket.acquire(AbortSignal.abort(new Error('gone'))), /gone/);
      assert.equal(bucket.delayMs(), 0, 'the token is still there');
    });

    it('leaves no timer behind once every waiter has been served or has left', async () => {
      // Prepare: real timers, so that the process's active handles show what the bucket left
      const timers = () =>
        process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
      const before = timers();
      const bucket = new TokenBucket({ ratePerSecond: 0.001, burst: 1 });
      await bucket.acquire();
      const controller = new AbortController();
      const waiting = [bucket.acquire(controller.signal), bucket.acquire(controller.signal)];
      const whileWaiting = timers();
      // Act
      controller.abort();
      await Promise.allSettled(waiting);
      // Assess
      assert.equal(whileWaiting, before + 1, 'one timer for the whole queue');
      assert.equal(timers(), before);
    });
  });

  describe('Method: delayMs', () => {
    it('tells how long the last of `count` requests queued now would wait', async (t) => {
      // Prepare
      fakeTime(t);
      const bucket = new TokenBucket({ ratePerSecond: 2, burst: 2 });
      // Act & Assess
      assert.equal(bucket.delayMs(), 0);
      assert.equal(bucket.delayMs(2), 0);
      assert.equal(bucket.delayMs(3), 500);
      const { done } = acquireMany(bucket, 4);
      await settle();
      assert.equal(bucket.delayMs(), 1500, 'two waiting, then the caller');
      assert.equal(bucket.delayMs(100), 51_000);
      t.mock.timers.tick(250);
      assert.equal(bucket.delayMs(), 1250);
      t.mock.timers.tick(750);
      await Promise.all(done);
      assert.equal(bucket.delayMs(), 500);
    });
  });

  describe('Method: constructor', () => {
    it('throws a RangeError naming a rate or burst that is not positive', () => {
      assert.throws(() => new TokenBucket({ ratePerSecond: 0, burst: 1 }), /ratePerSecond/);
      assert.throws(
        () => new TokenBucket({ ratePerSecond: Number.NaN, burst: 1 }),
        /ratePerSecond/,
      );
      assert.throws(() => new TokenBucket({ ratePerSecond: 1, burst: 0 }), /burst/);
      assert.throws(() => new TokenBucket({ ratePerSecond: 1, burst: 1.5 }), /burst/);
    });
  });
});
