import type { BenchTable } from './BenchSection.ts';

const NUMERIC = /^[-+]?[\d,.]+( ?[%×xµA-Za-z/]+)?$/;

/**
 * Renders a table as aligned text: numbers right-aligned, text left-aligned, a rule under the
 * header, notes below.
 */
export function formatTable(table: BenchTable): string {
  const widths = table.columns.map((column, index) =>
    Math.max(column.length, ...table.rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => {
        const width = widths[index] ?? 0;
        return index > 0 && NUMERIC.test(cell) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [
    table.title,
    '',
    line(table.columns),
    widths.map((width) => '─'.repeat(width)).join('  '),
    ...table.rows.map(line),
    ...(table.notes === undefined ? [] : ['', ...table.notes.map((note) => `  ${note}`)]),
  ].join('\n');
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

const micro = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** `1,234,567` */
export function formatInteger(value: number): string {
  return integer.format(value);
}

/** `12.34 ms`, or `4.2 µs` below a millisecond */
export function formatMs(value: number): string {
  return value < 1 ? `${micro.format(value * 1000)} µs` : `${decimal.format(value)} ms`;
}

/** `1.23×` */
export function formatRatio(value: number): string {
  return `${decimal.format(value)}×`;
}
