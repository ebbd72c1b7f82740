import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { InstanceLock } from '../../lambdas/refresher/InstanceLock.ts';
import { type Moto, startMoto } from '../support/moto.ts';
import { PREFIX } from './fixtures.ts';

const LOCK = `${PREFIX}/.locks/a`;

describe('Class: InstanceLock', () => {
  let moto: Moto;
  let ssm: SSMClient;
  let now = Date.now();
  const lockOf = (owner: string) =>
    new InstanceLock({
      ssm,
      instance: 'a',
      parameterName: LOCK,
      owner,
      leaseMs: 60_000,
      now: () => now,
    });
  before(async () => {
    moto = await startMoto();
    ssm = new SSMClient({});
  });
  after(async () => {
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    now = Date.now();
  });

  describe('Method: acquire', () => {
    it('grants the lease to the first run and reports its expiry to the second', async () => {
      // Act
      const first = await lockOf('one').acquire();
      const second = await lockOf('two').acquire();
      // Assess
      assert.deepEqual(first, { acquired: true });
      assert.deepEqual(second, {
        acquired: false,
        heldUntil: new Date(now + 60_000).toISOString(),
      });
    });

    it('grants an expired lease to exactly one of many concurrent takers', async () => {
      // Prepare
      await lockOf('crashed').acquire();
      now += 61_000;
      // Act
      const attempts = await Promise.all(
        Array.from({ length: 12 }, (_, index) => lockOf(`taker-${index}`).acquire()),
      );
      // Assess
      assert.equal(attempts.filter((attempt) => attempt.acquired).length, 1);
    });

    it('treats a value it did not write as an expired lease', async () => {
      // Prepare
      await ssm.send(new PutParameterCommand({ Name: LOCK, Value: 'garbage', Type: 'String' }));
      // Act
      const attempt = await lockOf('one').acquire();
      // Assess
      assert.deepEqual(attempt, { acquired: true });
    });
  });

  describe('Method: release', () => {
    it('deletes the lease only for its owner', async () => {
      // Prepare
      await lockOf('one').acquire();
      // Act
      const byOther = await lockOf('two').release();
      const stillThere = await ssm.send(new GetParameterCommand({ Name: LOCK }));
      const byOwner = await lockOf('one').release();
      // Assess
      assert.equal(byOther, undefined);
      assert.match(stillThere.Parameter?.Value ?? '', /"owner":"one"/);
      assert.equal(byOwner, undefined);
      await assert.rejects(ssm.send(new GetParameterCommand({ Name: LOCK })), {
        name: 'ParameterNotFound',
      });
      assert.deepEqual(await lockOf('two').acquire(), { acquired: true });
    });
  });
});
