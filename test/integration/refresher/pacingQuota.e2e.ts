import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { createRefresherClients } from '../../../lambdas/refresher/createRefresherClients.ts';
import { mapWithConcurrency } from '../../../lambdas/refresher/mapWithConcurrency.ts';
import { useMoto } from '../../support/moto.ts';
import { type QuotaFront, startQuotaFront } from '../../support/quotaFront.ts';

/**
 * PutParameter calls of the paced client: 40 at the default 2/s take about 20 s;
 * PACED_CALLS=200 (about 100 s) for a longer run.
 */
const PACED_CALLS = Number(process.env.PACED_CALLS ?? 40);
/** Enough to go past the 3/s quota within a second. */
const UNPACED_CALLS = 30;

/** Sends `count` PutParameter calls, 16 in flight, and tells how many failed and how long it took. */
async function putMany(ssm: SSMClient, count: number, prefix: string) {
  const names = Array.from({ length: count }, (_, index) => `${prefix}/p${index}`);
  const started = performance.now();
  const outcomes = await mapWithConcurrency(names, 16, (name) =>
    ssm
      .send(new PutParameterCommand({ Name: name, Value: 'v', Type: 'String', Overwrite: true }))
      .then(
        () => 'ok',
        (error: Error) => error.name,
      ),
  );
  return {
    failed: outcomes.filter((outcome) => outcome !== 'ok'),
    seconds: (performance.now() - started) / 1000,
  };
}

describe('Function: createRefresherClients (through the standard-quota front)', () => {
  let front: QuotaFront;
  const moto = useMoto();
  after(async () => {
    await front.stop();
  });
  before(async () => {
    front = await startQuotaFront(moto.endpoint, moto.env);
    Object.assign(process.env, front.env);
  });

  it('gets throttled unpaced, even with adaptive retry', { timeout: 120_000 }, async (t) => {
    // Prepare
    const { ssm } = createRefresherClients({ pacing: false });
    // Act
    const { failed, seconds } = await putMany(ssm, UNPACED_CALLS, '/unpaced');
    // Assess
    const throttled = front.throttled.get('PutParameter') ?? 0;
    t.diagnostic(
      `unpaced: ${UNPACED_CALLS} calls in ${seconds.toFixed(1)} s, ${throttled} throttled attempts, ${failed.length} calls failed`,
    );
    assert.ok(throttled > 0, 'the front throttled some attempts');
    assert.equal(front.passed.get('PutParameter'), UNPACED_CALLS - failed.length);
  });

  it(`does ${PACED_CALLS} PutParameter calls at the default pacing with no throttle at all`, {
    timeout: 200_000,
  }, async (t) => {
    // Prepare
    front.reset();
    const { ssm } = createRefresherClients();
    // Act
    const { failed, seconds } = await putMany(ssm, PACED_CALLS, '/paced');
    // Assess
    t.diagnostic(`paced: ${PACED_CALLS} calls in ${seconds.toFixed(1)} s`);
    assert.deepEqual(failed, []);
    assert.equal(front.passed.get('PutParameter'), PACED_CALLS);
    assert.equal(front.throttled.get('PutParameter'), undefined, 'zero throttles');
    // 2 at once, then 2/s
    assert.ok(seconds >= (PACED_CALLS - 2) / 2 - 0.5, `${seconds} s`);
  });
});
