import type { BenchTable } from '../BenchSection.ts';
import { formatInteger } from '../formatTable.ts';
import { LIFETIME_MIXES } from './fleetMix.ts';
import { formatDuration, simulate, WRITES } from './scenario.ts';

/** Time from the first run until every instance of a new fleet has a token. */
export function firstDeploy(fleets: readonly number[]): BenchTable {
  const rows = fleets.flatMap((count) =>
    LIFETIME_MIXES.map((mix) => {
      const table = simulate(count, mix, WRITES.table);
      const baseline = simulate(count, mix, WRITES.baseline);
      return [
        formatInteger(count),
        mix.label,
        formatDuration(table.firstDeploySeconds),
        formatInteger(table.firstDeployRuns),
        formatDuration(baseline.firstDeploySeconds),
        formatInteger(baseline.firstDeployRuns),
      ];
    }),
  );
  return {
    title: 'First deploy: time until every token is published (standard quotas, simulated)',
    columns: ['instances', 'lifetimes', '1 write: time', 'runs', '3 writes: time', 'runs'],
    rows,
    notes: [
      'Paced at 2 PutParameter/s (burst 2) and 10 reads/s; each run first reads every envelope',
      '(GetParameters of 10), lasts at most 900 s, and runs start on a 1-minute schedule, one at a',
      'time. Missing tokens go first, so the lifetimes do not change this figure.',
    ],
  };
}
