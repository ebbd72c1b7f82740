import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { runRefreshCycle } from '../../../lambdas/refresher/index.ts';
import { useMoto } from '../../support/moto.ts';
import { type QuotaFront, startQuotaFront } from '../../support/quotaFront.ts';
import { createStateTable, fakeLogin, oauth2Config, PREFIX, seedSecrets } from './fixtures.ts';

/**
 * 10 instances: the smallest fleet that crosses every threshold. Unpaced, its writes would exceed
 * the quota's burst of 3 at once; paced at the default 2 PutParameter/s they take about 4 s, long
 * enough for the reader's 25/s and the refresher's reads to meet the shared 40/s. `npm run bench`
 * runs 1,000.
 */
const INSTANCES = Number(process.env.FLEET_INSTANCES ?? 10);
/** A downstream reader's steady GetParameter rate while the fleet refreshes. */
const READER_PER_SECOND = 25;

describe('Function: runRefreshCycle (a fleet through the standard Parameter Store quotas)', () => {
  let front: QuotaFront;
  const moto = useMoto();
  after(async () => {
    Object.assign(process.env, moto.env);
    await front.stop();
  });
  before(async () => {
    front = await startQuotaFront(moto.endpoint, moto.env);
    Object.assign(process.env, front.env);
    await createStateTable();
  });

  it('publishes every token with one PutParameter each, no throttle, and leaves readers their share', {
    timeout: 120_000,
  }, async (t) => {
    // Prepare
    const names = Array.from({ length: INSTANCES }, (_, index) => `f${index}`);
    await seedSecrets(names);
    const config = oauth2Config(names);
    const { login } = fakeLogin();
    front.reset();
    // A downstream reader polling the first token at 25/s the whole time (ParameterNotFound is fine)
    const reader = new SSMClient({ maxAttempts: 1 });
    let reading = true;
    const readerErrors: string[] = [];
    const readerLoop = (async () => {
      while (reading) {
        await reader
          .send(new GetParameterCommand({ Name: `${PREFIX}/f0`, WithDecryption: true }))
          .catch((error: Error) => {
            if (error.name !== 'ParameterNotFound') readerErrors.push(error.name);
          });
        await new Promise((resolve) => setTimeout(resolve, 1000 / READER_PER_SECOND));
      }
    })();
    const started = performance.now();
    // Act: the refresher's own clients, paced at the standard defaults
    const first = await runRefreshCycle(config, { login });
    const firstSeconds = (performance.now() - started) / 1000;
    const afterFirst = { passed: new Map(front.passed), throttled: new Map(front.throttled) };
    front.reset();
    const second = await runRefreshCycle(config, { login });
    reading = false;
    await readerLoop;
    // Assess
    t.diagnostic(
      `${INSTANCES} instances published in ${firstSeconds.toFixed(1)} s; calls ${JSON.stringify(Object.fromEntries(afterFirst.passed))}; throttled ${JSON.stringify(Object.fromEntries(afterFirst.throttled))}`,
    );
    assert.deepEqual(
      first.results.filter((result) => result.outcome !== 'refreshed'),
      [],
      'every instance is refreshed',
    );
    assert.equal(afterFirst.passed.get('PutParameter'), INSTANCES, 'one PutParameter per token');
    assert.deepEqual([...afterFirst.throttled.entries()], [], 'nothing was throttled');
    for (const write of ['DeleteParameter', 'DeleteParameters', 'LabelParameterVersion']) {
      assert.equal(afterFirst.passed.get(write), undefined, `no ${write}`);
    }
    assert.ok(second.results.every((result) => result.outcome === 'skipped'));
    assert.equal(front.passed.get('PutParameter'), undefined, 'a skip writes nothing to SSM');
    assert.deepEqual(readerErrors, [], "the reader's calls were never throttled");
  });
});
