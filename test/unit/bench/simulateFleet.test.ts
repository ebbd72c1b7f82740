import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFleet, LIFETIME_MIXES } from '../../bench/refresher/fleetMix.ts';
import { largestSatisfying } from '../../bench/refresher/largestSatisfying.ts';
import { type FleetSimulationOptions, simulateFleet } from '../../bench/refresher/simulateFleet.ts';

const [mix] = LIFETIME_MIXES;
if (mix === undefined) throw new Error('no lifetime mix');
const paced = {
  writeLimit: { ratePerSecond: 2, burst: 2 },
  readLimit: { ratePerSecond: 10, burst: 10 },
} as const;
const run = (
  count: number,
  writesPerRefresh: number,
  extra: Partial<FleetSimulationOptions> = {},
) => simulateFleet({ instances: buildFleet(count, mix), writesPerRefresh, ...paced, ...extra });

describe('Function: simulateFleet', () => {
  it('makes 1 write per refresh, and the baseline 3, in total and in the steady window', () => {
    // Act
    const table = run(40, 1);
    const baseline = run(40, 3);
    // Assess
    assert.equal(table.writes, table.publishes);
    assert.equal(table.steady.writes, table.steady.publishes);
    assert.equal(baseline.writes, 3 * baseline.publishes);
    assert.equal(baseline.steady.writes, 3 * baseline.steady.publishes);
    assert.ok(table.steady.publishes > 0);
  });

  it('publishes a small new fleet at the paced rate, the baseline in 3 times as long', () => {
    // Act
    const table = run(20, 1);
    const baseline = run(20, 3);
    // Assess: 2 at once, then one every 500 ms; the baseline's last token is its 59th write
    assert.equal(table.firstDeploySeconds, (20 - 2) / 2);
    assert.equal(baseline.firstDeploySeconds, (59 - 2) / 2);
    assert.equal(table.firstDeployRuns, 1);
    assert.equal(table.firstRunPublished, 20);
  });

  it('keeps a small mixed fleet fresh, each token replaced within its lifetime', () => {
    // Act: 10 each of 5 min, 15 min, 30 min and 1 h, measured over 2 h
    const result = run(40, 1);
    // Assess
    assert.equal(result.steady.lapsed, 0);
    assert.ok(result.steady.writes / result.steady.seconds <= 2, 'never above the pacing');
    const lifetimes = [300, 900, 1800, 3600];
    // at least once per lifetime; at most once per run (60 s) or per 55 % less the 120 s horizon
    const fewest = lifetimes.reduce((sum, life) => sum + 10 * Math.floor(7200 / life), 0);
    const most = lifetimes.reduce(
      (sum, life) => sum + 10 * Math.ceil(7200 / Math.max(60, 0.55 * life - 120) + 1),
      0,
    );
    assert.ok(result.steady.publishes >= fewest, `${result.steady.publishes} >= ${fewest}`);
    assert.ok(result.steady.publishes <= most, `${result.steady.publishes} <= ${most}`);
  });

  it('ends a run after 900 s and leaves the rest to the next run', () => {
    // Act
    const result = run(3000, 1);
    // Assess: 300 reads take 29 s (10 at once, then 10/s); then 2 writes at once and 2/s
    assert.equal(result.firstRunPublished, 2 + Math.floor((900 - 29) * 2));
    assert.equal(result.firstDeployRuns, 2);
  });

  it('counts an instance whose token ran out before the next one was published', () => {
    // Act: one write per 1,000 s cannot keep a 5 min token fresh
    const result = run(4, 1, { writeLimit: { ratePerSecond: 0.001, burst: 1 } });
    // Assess
    assert.equal(result.steady.lapsed, 4);
  });
});

describe('Function: largestSatisfying', () => {
  it('finds the largest number that holds, above and below its starting point', () => {
    assert.equal(
      largestSatisfying((value) => value <= 693),
      693,
    );
    assert.equal(
      largestSatisfying((value) => value <= 37),
      37,
    );
    assert.equal(
      largestSatisfying(() => false),
      0,
    );
  });
});
