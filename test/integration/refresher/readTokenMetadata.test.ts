import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { readTokenMetadata } from '../../../lambdas/refresher/index.ts';
import { useMoto } from '../../support/moto.ts';
import { envelopeFor, oauth2Config, PREFIX, storeEnvelope } from './fixtures.ts';

describe('Function: readTokenMetadata', () => {
  useMoto();

  it('reports every instance in configuration order, across batches, without the token', async () => {
    // Prepare: 12 instances (two GetParameters batches); 0-9 stored, 10 garbled, 11 missing
    const names = Array.from({ length: 12 }, (_, index) => `i${index}`);
    const issuedAt = Date.parse('2026-11-23T11:00:00Z');
    for (const name of names.slice(0, 10)) await storeEnvelope(envelopeFor(name, issuedAt));
    await new SSMClient({}).send(
      new PutParameterCommand({ Name: `${PREFIX}/i10`, Value: 'nope', Type: 'SecureString' }),
    );
    // Act
    const rows = await readTokenMetadata(oauth2Config(names));
    // Assess
    assert.deepEqual(
      rows.map((row) => [row.name, row.kind]),
      names.map((name, index) => [
        name,
        index < 10 ? 'present' : index === 10 ? 'unreadable' : 'missing',
      ]),
    );
    assert.deepEqual(rows[0], {
      name: 'i0',
      provider: 'oauth2-client-credentials',
      kind: 'present',
      issuedAt: '2026-11-23T11:00:00.000Z',
      expiresAt: '2026-11-23T12:00:00.000Z',
      refreshAt: '2026-11-23T11:42:00.000Z',
    });
    assert.equal(rows[10]?.reason, 'the value is not JSON');
    assert.equal(JSON.stringify(rows).includes('token-'), false);
  });
});
