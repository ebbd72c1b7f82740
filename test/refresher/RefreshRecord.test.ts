import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loginCooldownEnd } from '../../lambdas/refresher/loginCooldownEnd.ts';
import {
  formatRefreshRecord,
  lastResultOf,
  MAX_LAST_RESULT_REASON,
  parseRefreshRecord,
} from '../../lambdas/refresher/RefreshRecord.ts';

const AT = Date.parse('2026-11-23T12:00:10.000Z');

describe('Function: parseRefreshRecord', () => {
  it('reads back what formatRefreshRecord wrote', () => {
    // Prepare
    const record = {
      owner: 'run-1',
      leaseUntil: AT,
      released: true,
      lastResult: { outcome: 'failed', at: '2026-11-23T12:00:09.000Z', reason: 'x' },
    } as const;
    // Act & Assess
    assert.deepEqual(parseRefreshRecord(formatRefreshRecord(record)), record);
  });

  it('reads an old lease as a live one, and anything else as expired, dropping a bad lastResult', () => {
    // Act
    const parsed = [
      '{"owner":"old","leaseUntil":"2026-11-23T12:00:10.000Z"}',
      'garbage',
      undefined,
      '{"owner":7,"leaseUntil":"2026-11-23T12:00:10.000Z"}',
      '{"owner":"a","leaseUntil":"2026-11-23T12:00:10.000Z","lastResult":{"outcome":"skipped","at":"x"}}',
    ].map(parseRefreshRecord);
    // Assess
    assert.deepEqual(parsed, [
      { owner: 'old', leaseUntil: AT, released: false },
      { owner: '', leaseUntil: 0, released: true },
      { owner: '', leaseUntil: 0, released: true },
      { owner: '', leaseUntil: 0, released: true },
      { owner: 'a', leaseUntil: AT, released: false },
    ]);
  });
});

describe('Function: lastResultOf', () => {
  it('records refreshed and failed results with a capped reason, and skips nothing', () => {
    // Act
    const failed = lastResultOf({ name: 'a', outcome: 'failed', reason: 'x'.repeat(600) }, AT);
    const skipped = lastResultOf({ name: 'a', outcome: 'skipped', reason: 'fresh' }, AT);
    // Assess
    assert.equal(failed?.outcome, 'failed');
    assert.equal(failed?.at, '2026-11-23T12:00:10.000Z');
    assert.equal(failed?.reason?.length, MAX_LAST_RESULT_REASON);
    assert.equal(skipped, undefined);
  });
});

describe('Function: loginCooldownEnd', () => {
  it('ends 1 s after the TOTP step of the login, or at once without a TOTP seed', () => {
    // Act
    const withTotp = loginCooldownEnd(
      { username: 'u', password: 'p', totpSecret: 'JBSWY3DPEHPK3PXP' },
      AT,
    );
    const withoutTotp = loginCooldownEnd({ username: 'u', password: 'p' }, AT);
    const client = loginCooldownEnd({ clientId: 'c', clientSecret: 's' }, AT);
    // Assess
    assert.equal(new Date(withTotp).toISOString(), '2026-11-23T12:00:31.000Z');
    assert.equal(withoutTotp, AT);
    assert.equal(client, AT);
  });
});
