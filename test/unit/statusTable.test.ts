import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstanceConfig } from '../../lambdas/config/index.ts';
import { PENDING_TOKEN_VALUE } from '../../lambdas/envelope/index.ts';
import { formatDuration } from '../../scripts/support/formatDuration.ts';
import { renderStatusTable } from '../../scripts/support/renderStatusTable.ts';
import { classifyToken } from '../../scripts/support/tokenState.ts';

const instance: InstanceConfig = {
  name: 'c42',
  type: 'code42-api-client',
  baseUrl: 'https://console.example.org',
};
const TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig-4711';
const envelope = JSON.stringify({
  version: 1,
  name: 'c42',
  provider: 'code42-api-client',
  tokenType: 'Bearer',
  token: TOKEN,
  issuedAt: '2026-11-22T09:00:00.000Z',
  expiresAt: '2026-11-22T09:15:00.000Z',
  refreshAt: '2026-11-22T09:10:00.000Z',
  baseUrl: 'https://console.example.org',
  headers: {},
});
const at = (time: string) => Date.parse(`2026-11-22T${time}Z`);

describe('Function: classifyToken', () => {
  it('calls a token fresh before refreshAt, due after it, expired at expiresAt', () => {
    // Act
    const states = ['09:05:00', '09:10:00', '09:15:00'].map(
      (time) => classifyToken(instance, envelope, at(time)).state,
    );
    // Assess
    assert.deepEqual(states, ['fresh', 'due', 'expired']);
  });

  it('calls a missing parameter and the pending placeholder missing', () => {
    // Act
    const states = [undefined, PENDING_TOKEN_VALUE].map(
      (value) => classifyToken(instance, value, at('09:00:00')).state,
    );
    // Assess
    assert.deepEqual(states, ['missing', 'missing']);
  });

  it('calls a value that is no envelope unreadable, with the reason', () => {
    // Act
    const status = classifyToken(instance, '{"version":1}', at('09:00:00'));
    // Assess
    assert.equal(status.state, 'unreadable');
    assert.match(status.reason ?? '', /"name" must be a non-empty string/);
  });
});

describe('Function: renderStatusTable', () => {
  it('aligns the columns, shows durations and never the token', () => {
    // Prepare
    const rows = [
      classifyToken(instance, envelope, at('09:05:00')),
      { ...instance, provider: instance.type, state: 'missing' as const },
    ];
    // Act
    const table = renderStatusTable(rows, at('09:05:00'), false);
    // Assess
    const lines = table.trimEnd().split('\n');
    assert.match(
      lines[0] ?? '',
      /^INSTANCE\s+PROVIDER\s+STATE\s+EXPIRES IN\s+REFRESH AT\s+AGE\s+LAST RESULT$/,
    );
    assert.match(
      lines[1] ?? '',
      /^c42\s+code42-api-client\s+fresh\s+10m\s+2026-11-22T09:10:00.000Z\s+5m\s+-$/,
    );
    assert.match(lines[2] ?? '', /^c42\s+code42-api-client\s+missing\s+-\s+-\s+-\s+-$/);
    assert.equal(lines[1]?.indexOf('fresh'), lines[0]?.indexOf('STATE'));
    assert.ok(!table.includes(TOKEN));
    assert.ok(!table.includes('\x1b['), 'no colour when not asked');
  });

  it('colours the state when asked', () => {
    // Act
    const table = renderStatusTable(
      [classifyToken(instance, envelope, at('09:16:00'))],
      at('09:16:00'),
      true,
    );
    // Assess
    assert.ok(table.includes('\x1b[31mexpired'), 'expired in red');
  });
});

describe('Function: formatDuration', () => {
  it('picks the two largest units', () => {
    // Act
    const texts = [45_000, 12 * 60_000, (3 * 60 + 5) * 60_000, 52 * 3_600_000, -90_000].map(
      formatDuration,
    );
    // Assess
    assert.deepEqual(texts, ['45s', '12m', '3h05m', '2d04h', '-1m']);
  });
});
