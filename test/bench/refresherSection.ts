import type { BenchSection, BenchTable } from './BenchSection.ts';
import { firstDeploy } from './refresher/firstDeploy.ts';
import { largestFleet } from './refresher/largestFleet.ts';
import { oneInvocation } from './refresher/oneInvocation.ts';
import { steadyState } from './refresher/steadyState.ts';

const FLEETS = [100, 1000, 5000] as const;

/**
 * The refresher's fleet against Parameter Store's quotas, in simulated time: one SSM write per
 * refresh (the state table) beside today's three (lease, token, release), computed in the same run.
 */
export const refresherSection: BenchSection = {
  name: 'refresher',
  title: 'Refresher: fleets within the SSM quotas',
  async run(): Promise<readonly BenchTable[]> {
    return [firstDeploy(FLEETS), steadyState(FLEETS), largestFleet(), oneInvocation(5000)];
  },
};
