import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it, mock } from 'node:test';
import { LoginProgress } from '../../../scripts/support/LoginProgress.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('Class: LoginProgress', () => {
  describe('Method: track', () => {
    it('says it is still waiting when the login is slow, and stops when it ends', async (t) => {
      // Prepare
      t.mock.timers.enable({ apis: ['setInterval', 'Date'] });
      const { lines, stream } = capture();
      const progress = new LoginProgress('idp', stream, { slowAfterMs: 5000 });
      let resolve: (value: string) => void = () => {};
      const promise = new Promise<string>((done) => {
        resolve = done;
      });
      // Act
      const tracked = progress.track(promise);
      t.mock.timers.tick(4000);
      const early = [...lines];
      t.mock.timers.tick(2000);
      resolve('done');
      const result = await tracked;
      t.mock.timers.tick(20_000);
      // Assess
      assert.equal(result, 'done');
      assert.deepEqual(early, []);
      assert.deepEqual(lines, [
        'token-broker: instance "idp": still waiting for the provider to answer (6.0s)\n',
      ]);
    });

    it('stays quiet while it sleeps for a TOTP step, then announces the wait once', async (t) => {
      // Prepare
      t.mock.timers.enable({ apis: ['setInterval', 'Date'] });
      const { lines, stream } = capture();
      const sleep = mock.fn((_ms: number) => new Promise<void>((resolve) => setImmediate(resolve)));
      const progress = new LoginProgress('cw', stream, { slowAfterMs: 5000, sleep });
      // Act
      const tracked = progress.track(
        (async () => {
          const sleeping = progress.totpSleep(17_400);
          t.mock.timers.tick(10_000);
          await sleeping;
          return 'ok';
        })(),
      );
      await tracked;
      // Assess
      assert.deepEqual(sleep.mock.calls[0]?.arguments[0], 17_400);
      assert.deepEqual(lines, [
        'token-broker: instance "cw": waiting 17s for the next TOTP step (a code is never sent twice)\n',
      ]);
    });
  });

  it('announces a retry with its delay', async () => {
    // Prepare
    const { lines, stream } = capture();
    const progress = new LoginProgress('c42', stream, { sleep: async () => {} });
    // Act
    await progress.retrySleep(1234);
    // Assess
    assert.deepEqual(lines, [
      'token-broker: instance "c42": no answer or a transient error from the provider; retrying in 1.2s\n',
    ]);
  });
});
