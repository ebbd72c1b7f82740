import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvelopeJson } from '../../../lambdas/reader/contract/index.ts';
import {
  createRefresherClients,
  runRefreshCycle,
  ServerClock,
} from '../../../lambdas/refresher/index.ts';
import { useMoto } from '../../support/moto.ts';
import {
  createStateTable,
  fakeLogin,
  oauth2Config,
  seedSecrets,
  stateRecord,
  storedValue,
} from './fixtures.ts';

const TWO_HOURS = 2 * 3_600_000;

describe('Class: ServerClock', () => {
  describe('Method: observe', () => {
    it("takes AWS's time from the Date header when the local clock is off by more than the threshold", () => {
      // Prepare
      const local = Date.parse('2026-11-23T14:00:00.000Z');
      const clock = new ServerClock(() => local);
      // Act
      clock.observe('Mon, 23 Nov 2026 12:00:00 GMT', local - 10, local + 10);
      // Assess
      assert.equal(clock.offsetMs, -TWO_HOURS + 500);
      assert.equal(clock.now(), Date.parse('2026-11-23T12:00:00.500Z'));
    });

    it("ignores the Date header's one-second resolution and unreadable headers", () => {
      // Prepare
      const local = Date.parse('2026-11-23T12:00:00.900Z');
      const clock = new ServerClock(() => local);
      // Act
      clock.observe('Mon, 23 Nov 2026 12:00:00 GMT', local, local);
      const afterClose = clock.offsetMs;
      clock.observe('yesterday', local, local);
      clock.observe(undefined, local, local);
      // Assess
      assert.equal(afterClose, 0);
      assert.equal(clock.offsetMs, 0);
    });
  });
});

describe('Function: runRefreshCycle (a container whose clock runs two hours fast)', () => {
  useMoto({ prepare: () => createStateTable() });

  it("writes the lease and the token's times on AWS's clock", async () => {
    // Prepare
    await seedSecrets(['a']);
    const clients = createRefresherClients({
      pacing: false,
      localClock: () => Date.now() + TWO_HOURS,
    });
    const { login } = fakeLogin();
    // Act
    const { results } = await runRefreshCycle(oauth2Config(['a']), { ...clients, login });
    // Assess
    assert.equal(results[0]?.outcome, 'refreshed');
    const stored = parseEnvelopeJson((await storedValue('a')) ?? '');
    assert.ok(stored.ok);
    const skew = Date.parse(stored.envelope.issuedAt) - Date.now();
    assert.ok(Math.abs(skew) < 5_000, `issuedAt is ${skew} ms off the true time`);
    const record = await stateRecord('a');
    assert.ok(Math.abs((record?.leaseUntil ?? 0) - Date.now()) < 5_000, 'released on AWS time');
    assert.ok(Math.abs((clients.clock?.offsetMs ?? 0) + TWO_HOURS) < 5_000);
  });
});
