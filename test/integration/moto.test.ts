import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { useMoto } from '../support/moto.ts';

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
