import type { BenchTable } from '../BenchSection.ts';
import { formatInteger } from '../formatTable.ts';
import { LIFETIME_MIXES } from './fleetMix.ts';
import { largestSatisfying } from './largestSatisfying.ts';
import { HIGHER, STANDARD, simulate, WRITES } from './scenario.ts';

/** How many tokens one invocation (900 s) publishes, and the largest fleet it publishes whole. */
export function oneInvocation(largeFleet: number): BenchTable {
  const [mix] = LIFETIME_MIXES;
  if (mix === undefined) throw new Error('no lifetime mix');
  const rows = [STANDARD, HIGHER].map((setting) => {
    const cells = [WRITES.table, WRITES.baseline].flatMap((writes) => [
      formatInteger(simulate(largeFleet, mix, writes, setting).firstRunPublished),
      formatInteger(
        largestSatisfying((count) => simulate(count, mix, writes, setting).firstDeployRuns === 1),
      ),
    ]);
    return [`${setting.label} (${setting.limits.putParameter.ratePerSecond} Put/s)`, ...cells];
  });
  return {
    title: `One invocation (900 s): tokens published (simulated)`,
    columns: [
      'pacing',
      `1 write: of ${formatInteger(largeFleet)} new`,
      'whole fleet',
      `3 writes: of ${formatInteger(largeFleet)} new`,
      'whole fleet',
    ],
    rows,
    notes: [
      `"of ${formatInteger(largeFleet)} new": the first run of a fleet with no token yet, its read of every`,
      'envelope included; "whole fleet": the largest new fleet that one invocation publishes entirely.',
    ],
  };
}
