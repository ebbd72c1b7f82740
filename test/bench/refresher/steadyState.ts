import type { BenchTable } from '../BenchSection.ts';
import { formatInteger } from '../formatTable.ts';
import { LIFETIME_MIXES } from './fleetMix.ts';
import { formatShare, STANDARD, simulate, WRITES } from './scenario.ts';

/** SSM calls per second once a fleet runs, as a share of the standard quotas. */
export function steadyState(fleets: readonly number[]): BenchTable {
  const rows = fleets.flatMap((count) =>
    LIFETIME_MIXES.map((mix) => {
      const cells = [WRITES.table, WRITES.baseline].flatMap((writes) => {
        const { steady } = simulate(count, mix, writes);
        const perSecond = steady.writes / steady.seconds;
        return [
          perSecond.toFixed(2),
          formatShare(perSecond / STANDARD.putQuota),
          formatInteger(steady.lapsed),
        ];
      });
      const { steady } = simulate(count, mix, WRITES.table);
      const reads = steady.reads / steady.seconds;
      return [
        formatInteger(count),
        mix.label,
        ...cells,
        `${reads.toFixed(2)} (${formatShare(reads / STANDARD.readQuota)})`,
      ];
    }),
  );
  return {
    title: 'Steady state: SSM calls per second against the standard quotas (simulated)',
    columns: [
      'instances',
      'lifetimes',
      '1 write: Put/s',
      'of 3/s',
      'lapsed',
      '3 writes: Put/s',
      'of 3/s',
      'lapsed',
      'reads/s (of 40/s)',
    ],
    rows,
    notes: [
      'Measured over 2 h, starting one longest lifetime (1 h) after the first deploy finished.',
      'Each token is refreshed when its refreshAt (55-75 % of its lifetime, refreshFraction) falls',
      'before the next run plus 60 s; most urgent first. "lapsed": instances that at some moment',
      'had no token with the readers’ 60 s minimum validity left. Put/s near 63 % of the quota is',
      'the pacer saturated (2/s, less each run’s read of every envelope): that fleet is too large.',
      'reads/s: the runs’ own GetParameters calls (every envelope, each run), before any reader.',
    ],
  };
}
