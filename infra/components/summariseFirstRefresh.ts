import { z } from 'zod';
import { REFRESH_OUTCOMES, type RefreshOutcome } from '../../lambdas/refresher/contract.ts';

/** How many instances the deploy-time first refresh left in each outcome. */
export type FirstRefreshSummary = Readonly<Record<RefreshOutcome, number>>;

const invocationResult = z.object({
  results: z.array(z.object({ name: z.string(), outcome: z.enum(REFRESH_OUTCOMES) })),
});

/**
 * Counts the outcomes in the refresher's answer to the first refresh (`{ results: [{ name,
 * outcome, ... }] }`). The refresher throws, and so fails `pulumi up`, only when an instance
 * failed; deferred and pending instances are counted here and published by the scheduled runs.
 *
 * @param result - the invocation's JSON result
 * @throws {Error} when the result is not the refresher's answer (names the offending field)
 * @example
 * summariseFirstRefresh('{"results":[{"name":"idp","outcome":"deferred"}]}');
 * // => { skipped: 0, refreshed: 0, failed: 0, deferred: 1, pending: 0 }
 */
export function summariseFirstRefresh(result: string): FirstRefreshSummary {
  let parsed: unknown;
  try {
    parsed = JSON.parse(result);
  } catch {
    throw new Error('the first refresh returned no JSON: expected { "results": [...] }');
  }
  const answer = invocationResult.safeParse(parsed);
  if (!answer.success) {
    const issue = answer.error.issues[0];
    throw new Error(
      `the first refresh returned an unexpected result at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const summary = Object.fromEntries(REFRESH_OUTCOMES.map((outcome) => [outcome, 0])) as Record<
    RefreshOutcome,
    number
  >;
  for (const { outcome } of answer.data.results) summary[outcome] += 1;
  return summary;
}
