import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  createRefresherClients,
  readTokenMetadata,
  runRefreshCycle,
} from '../../../lambdas/refresher/index.ts';
import { mapWithConcurrency } from '../../../lambdas/refresher/mapWithConcurrency.ts';
import { useMoto } from '../../support/moto.ts';
import {
  clientCredentials,
  createStateTable,
  fakeLogin,
  oauth2Config,
  PREFIX,
} from './fixtures.ts';
import { ThrottlingHandler } from './throttlingHandler.ts';

/**
 * 250 by default (about 25 s against moto); REFRESHER_BENCH_INSTANCES=1000 runs the full
 * 1,000-instance path (about 100 s: moto answers some 75 SSM calls a second).
 */
const INSTANCES = Number(process.env.REFRESHER_BENCH_INSTANCES ?? 250);
/** Well under what the cycle asks for, so that a large share of calls is throttled. */
const QUOTA = { ratePerSecond: 100, burst: 5 };

describe('Function: runRefreshCycle (many instances under throttling)', () => {
  useMoto({ prepare: () => createStateTable() });

  it('publishes every instance when SSM and Secrets Manager throttle above 100 requests/s', {
    timeout: 300_000,
  }, async (context) => {
    // Prepare
    const names = Array.from(
      { length: INSTANCES },
      (_, index) => `i${String(index).padStart(4, '0')}`,
    );
    const secrets = new SecretsManagerClient({});
    await mapWithConcurrency(names, 16, (name) =>
      secrets.send(
        new CreateSecretCommand({
          Name: `${PREFIX}/${name}`,
          SecretString: JSON.stringify(clientCredentials(name)),
        }),
      ),
    );
    const handler = new ThrottlingHandler(QUOTA);
    const { login, calls } = fakeLogin();
    const config = oauth2Config(names);
    const started = performance.now();
    // Act: the production clients (adaptive retry mode), only their HTTP handler is wrapped;
    // unpaced, so that the adaptive retry alone copes with the throttling
    const { results } = await runRefreshCycle(config, {
      ...createRefresherClients({ requestHandler: handler, pacing: false }),
      login,
    });
    const elapsedMs = performance.now() - started;
    context.diagnostic(
      `${INSTANCES} instances in ${Math.round(elapsedMs)} ms; throttled ${JSON.stringify(Object.fromEntries(handler.throttled))}; passed ${JSON.stringify(Object.fromEntries(handler.passed))}`,
    );
    // Assess
    const failed = results.filter((result) => result.outcome !== 'refreshed');
    assert.deepEqual(failed, [], 'every instance is refreshed');
    assert.equal(calls.length, INSTANCES, 'one login per instance');
    const stored = await readTokenMetadata(config);
    assert.equal(stored.filter((row) => row.kind === 'present').length, INSTANCES);
    const throttled = [...handler.throttled.values()].reduce((sum, count) => sum + count, 0);
    assert.ok(throttled > 0, 'some calls were throttled');
    // Every throttled call was retried until it reached the store: exact counts per operation
    assert.equal(handler.passed.get('PutParameter'), INSTANCES, 'one write per published token');
    assert.equal(handler.passed.get('DeleteParameter'), undefined, 'refresh records are kept');
    assert.equal(handler.passed.get('GetSecretValue'), INSTANCES);
  });
});
