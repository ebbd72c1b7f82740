import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { startMoto, useMoto } from '../../support/moto.ts';

describe('Harness: moto server', () => {
  useMoto();

  it('round-trips a SecureString parameter through the standard SDK environment', async () => {
    // Prepare
    const ssm = new SSMClient({});
    // Act
    await ssm.send(
      new PutParameterCommand({
        Name: '/h/x',
        Value: 'v',
        Type: 'SecureString',
        Tier: 'Intelligent-Tiering',
      }),
    );
    const read = await ssm.send(new GetParameterCommand({ Name: '/h/x', WithDecryption: true }));
    // Assess
    assert.equal(read.Parameter?.Value, 'v');
  });
});

// Under npm test these servers are forked from the fork server (MOTO_FORK_SERVER_ENV is set);
// run alone, they start on their own: either way each is separate and stops.
describe('Harness: moto servers started one after another', () => {
  it('gives each server its own state and stops it for good', async () => {
    // Prepare
    const first = await startMoto();
    const second = await startMoto();
    const client = (moto: { endpoint: string }) => new SSMClient({ endpoint: moto.endpoint });
    try {
      // Act
      await client(first).send(
        new PutParameterCommand({ Name: '/h/only-first', Value: 'v', Type: 'String' }),
      );
      // Assess
      await assert.rejects(
        client(second).send(new GetParameterCommand({ Name: '/h/only-first' })),
        { name: 'ParameterNotFound' },
      );
    } finally {
      await second.stop();
      await first.stop();
    }
    await assert.rejects(fetch(`${first.endpoint}/moto-api/data.json`), 'the server is gone');
  });
});
