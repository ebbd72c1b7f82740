import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenMetadata } from '../../../lambdas/refresher/index.ts';
import { formatDuration, renderStatusTable } from '../../../scripts/support/renderStatusTable.ts';
import { classifyToken } from '../../../scripts/support/tokenState.ts';

const present: TokenMetadata = {
  name: 'c42',
  provider: 'code42-api-client',
  kind: 'present',
  issuedAt: '2026-11-22T09:00:00.000Z',
  expiresAt: '2026-11-22T09:15:00.000Z',
  refreshAt: '2026-11-22T09:10:00.000Z',
};
const missing: TokenMetadata = {
  name: 'idp',
  provider: 'oauth2-client-credentials',
  kind: 'missing',
};
const at = (time: string) => Date.parse(`2026-11-22T${time}Z`);

describe('Function: classifyToken', () => {
  it('calls a token fresh before refreshAt, due after it, expired at expiresAt', () => {
    // Act
    const states = ['09:05:00', '09:10:00', '09:15:00'].map(
      (time) => classifyToken(present, at(time)).state,
    );
    // Assess
    assert.deepEqual(states, ['fresh', 'due', 'expired']);
  });

  it('keeps missing and unreadable as they are, with the reason', () => {
    // Act
    const states = [missing, { ...missing, kind: 'unreadable' as const, reason: 'not JSON' }].map(
      (metadata) => classifyToken(metadata, at('09:00:00')),
    );
    // Assess
    assert.deepEqual(
      states.map((status) => [status.state, status.reason]),
      [
        ['missing', undefined],
        ['unreadable', 'not JSON'],
      ],
    );
  });
});

describe('Function: renderStatusTable', () => {
  it('aligns the columns and shows durations', () => {
    // Prepare
    const now = at('09:05:00');
    const rows = [classifyToken(present, now), classifyToken(missing, now)];
    // Act
    const table = renderStatusTable(rows, now, false);
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
    assert.match(lines[2] ?? '', /^idp\s+oauth2-client-credentials\s+missing\s+-\s+-\s+-\s+-$/);
    assert.equal(lines[1]?.indexOf('fresh'), lines[0]?.indexOf('STATE'));
    assert.ok(!table.includes('\x1b['), 'no colour when not asked');
  });

  it("shows the refresher's last result, with the reason of a failure", () => {
    // Prepare
    const now = at('09:05:00');
    const rows = [
      classifyToken(present, now, { outcome: 'refreshed', at: '2026-11-22T09:00:00.000Z' }),
      classifyToken({ ...missing, kind: 'unreadable', reason: 'not JSON' }, now, {
        outcome: 'failed',
        at: '2026-11-22T09:03:00.000Z',
        reason: 'InvalidCredentialsError: refused',
      }),
    ];
    // Act
    const lines = renderStatusTable(rows, now, false).trimEnd().split('\n');
    // Assess
    assert.match(lines[1] ?? '', /\s5m\s+refreshed 5m ago$/);
    assert.match(
      lines[2] ?? '',
      /\sunreadable\s.*\snot JSON; last result: failed 2m ago: InvalidCredentialsError: refused$/,
    );
  });

  it('colours the state when asked', () => {
    // Act
    const table = renderStatusTable([classifyToken(present, at('09:16:00'))], at('09:16:00'), true);
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
