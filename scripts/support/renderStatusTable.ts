import { styleText } from 'node:util';
import type { LastResult } from '../../lambdas/refresher/index.ts';
import { type TokenState, TokenStates, type TokenStatus } from './tokenState.ts';

/**
 * Formats a duration compactly for a terminal table: `45s`, `12m`, `3h05m`, `2d04h`; negative
 * durations get a leading `-`.
 */
export function formatDuration(milliseconds: number): string {
  const sign = milliseconds < 0 ? '-' : '';
  const seconds = Math.floor(Math.abs(milliseconds) / 1000);
  if (seconds < 60) return `${sign}${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${sign}${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${sign}${hours}h${String(minutes % 60).padStart(2, '0')}m`;
  return `${sign}${Math.floor(hours / 24)}d${String(hours % 24).padStart(2, '0')}h`;
}

/**
 * The refresher's last result for the `status` table: `refreshed 3m ago`, or
 * `failed 2m ago: InvalidCredentialsError: ...`.
 *
 * @param now - epoch ms
 */
function describeLastResult(lastResult: LastResult, now: number): string {
  const text = `${lastResult.outcome} ${formatDuration(now - Date.parse(lastResult.at))} ago`;
  return lastResult.outcome !== 'refreshed' && lastResult.reason !== undefined
    ? `${text}: ${lastResult.reason}`
    : text;
}

const stateColours = {
  [TokenStates.fresh]: 'green',
  [TokenStates.due]: 'yellow',
  [TokenStates.expired]: 'red',
  [TokenStates.missing]: 'red',
  [TokenStates.unreadable]: 'red',
  [TokenStates.pending]: 'yellow',
} as const satisfies Record<TokenState, Parameters<typeof styleText>[0]>;

const headings = [
  'INSTANCE',
  'PROVIDER',
  'STATE',
  'EXPIRES IN',
  'REFRESH AT',
  'AGE',
  'LAST RESULT',
];

/** Why the stored value is unreadable, and the refresher's last result. */
function lastColumn(row: TokenStatus, now: number): string {
  const parts = [
    ...(row.reason === undefined ? [] : [row.reason]),
    ...(row.lastResult === undefined ? [] : [describeLastResult(row.lastResult, now)]),
  ];
  return parts.length === 0 ? '-' : parts.join('; last result: ');
}

/**
 * Renders `status` rows as an aligned text table; durations ("expires in", age, last result) are
 * counted from `now` (epoch ms). Colour is applied only when `colour` is true (a terminal that did
 * not ask for NO_COLOR).
 */
export function renderStatusTable(
  rows: readonly TokenStatus[],
  now: number,
  colour: boolean,
): string {
  const cells = rows.map((row) => [
    row.name,
    row.provider,
    row.state,
    row.expiresAt === undefined ? '-' : formatDuration(Date.parse(row.expiresAt) - now),
    row.refreshAt ?? '-',
    row.issuedAt === undefined ? '-' : formatDuration(now - Date.parse(row.issuedAt)),
    lastColumn(row, now),
  ]);
  const widths = headings.map((heading, column) =>
    Math.max(heading.length, ...cells.map((line) => (line[column] ?? '').length)),
  );
  const format = (line: readonly string[], paint?: (text: string, column: number) => string) =>
    line
      .map((cell, column) => {
        const padded = column === line.length - 1 ? cell : cell.padEnd(widths[column] ?? 0);
        return paint ? paint(padded, column) : padded;
      })
      .join('  ');
  const header = format(headings, (text) =>
    colour ? styleText('bold', text, { validateStream: false }) : text,
  );
  const body = cells.map((line, index) =>
    format(line, (text, column) => {
      const state = rows[index]?.state;
      return colour && column === 2 && state !== undefined
        ? styleText(stateColours[state], text, { validateStream: false })
        : text;
    }),
  );
  return `${[header, ...body].join('\n')}\n`;
}
