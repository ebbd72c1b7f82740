import type { Context } from 'aws-lambda';
import { RefreshFailedError } from './errors.ts';
import { parseRefreshEvent } from './parseRefreshEvent.ts';
import type { RefreshCycleOptions, RefreshSummary } from './RefreshCycleOptions.ts';
import type { RefresherSettings } from './readRefresherEnvironment.ts';
import { runRefreshCycle } from './runRefreshCycle.ts';

/** The refresher Lambda's handler: a scheduled event or a {@link RefreshEvent}, and its summary. */
export type RefreshHandler = (event: unknown, context: Context) => Promise<RefreshSummary>;

/** What the handler passes to every run besides the settings and the event. */
export type RefreshHandlerOptions = Omit<
  RefreshCycleOptions,
  'names' | 'force' | 'onDemand' | 'scheduleSeconds' | 'kmsKeyId' | 'remainingTimeMs'
>;

/**
 * Builds the refresher's Lambda handler around settings read once at INIT. Each invocation runs
 * one cycle, bounded by the invocation's remaining time, and returns the summary; when any
 * instance failed it throws a {@link RefreshFailedError} naming each, after all were attempted.
 *
 * @example
 * export const handler = createRefreshHandler(readRefresherEnvironment(process.env), { logger, metrics });
 */
export function createRefreshHandler(
  settings: RefresherSettings,
  options: RefreshHandlerOptions = {},
): RefreshHandler {
  return async (event, context) => {
    options.logger?.addContext(context);
    const request = parseRefreshEvent(event);
    const summary = await runRefreshCycle(settings.config, {
      ...options,
      ...request,
      scheduleSeconds: settings.scheduleSeconds,
      ...(settings.kmsKeyId === undefined ? {} : { kmsKeyId: settings.kmsKeyId }),
      remainingTimeMs: () => context.getRemainingTimeInMillis(),
    });
    if (summary.results.some((result) => result.outcome === 'failed')) {
      throw new RefreshFailedError(summary.results);
    }
    return summary;
  };
}
