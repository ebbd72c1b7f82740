import type { LastResult } from '../../lambdas/refresher/index.ts';
import { formatDuration } from './formatDuration.ts';

/**
 * The refresher's last result for the `status` table: `refreshed 3m ago`, or
 * `failed 2m ago: InvalidCredentialsError: ...`.
 *
 * @param now - epoch ms
 */
export function describeLastResult(lastResult: LastResult, now: number): string {
  const text = `${lastResult.outcome} ${formatDuration(now - Date.parse(lastResult.at))} ago`;
  return lastResult.outcome !== 'refreshed' && lastResult.reason !== undefined
    ? `${text}: ${lastResult.reason}`
    : text;
}
