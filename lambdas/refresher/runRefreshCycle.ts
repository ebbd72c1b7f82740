import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BrokerConfig } from '../config/index.ts';
import { loginInstance } from '../providers/index.ts';
import { RefresherMetrics } from './contract.ts';
import { createRefresherClients } from './createRefresherClients.ts';
import { mapWithConcurrency } from './mapWithConcurrency.ts';
import type { RefreshCycleOptions, RefreshSummary } from './RefreshCycleOptions.ts';
import type { RefreshRun } from './RefreshRun.ts';
import { readStoredTokens } from './readStoredTokens.ts';
import { refreshDefaults } from './refreshDefaults.ts';
import { refreshInstance } from './refreshInstance.ts';
import { selectInstances } from './selectInstances.ts';

/**
 * Runs one refresh cycle: every selected instance whose stored token is missing, unreadable,
 * expired, due before the next scheduled run plus a margin, or forced, is logged in to (bounded
 * concurrency, one login lease per instance) and its envelope published. One instance's failure
 * never stops the others, and never replaces its stored token.
 *
 * @param config - the validated broker configuration
 * @param options - see {@link RefreshCycleOptions}; each default is documented there
 * @returns every instance's result; it does not throw when instances fail (check `outcome`)
 * @throws {RefreshEventError} when `names` lists an instance that is not configured
 * @throws {RangeError} when `leaseMs` does not exceed `loginTimeoutMs + publishReserveMs`
 *
 * @example
 * const { results } = await runRefreshCycle(config, { names: ['idp'], force: true });
 * const failed = results.filter((result) => result.outcome === 'failed');
 */
export async function runRefreshCycle(
  config: BrokerConfig,
  options: RefreshCycleOptions = {},
): Promise<RefreshSummary> {
  const instances = selectInstances(config, options.names);
  const run = resolveRun(config, options);
  run.logger.info('refresh cycle started', { instances: instances.length, force: run.force });
  const stored = await readStoredTokens(run.ssm, run.parameterPrefix, instances);
  const results = await mapWithConcurrency(
    instances,
    options.concurrency ?? refreshDefaults.concurrency,
    async (instance) => {
      const result = await refreshInstance(
        instance,
        run,
        stored.get(instance.name) ?? { kind: 'missing' },
      );
      options.onResult?.(result);
      return result;
    },
  );
  const count = (outcome: string) => results.filter((result) => result.outcome === outcome).length;
  const failed = count('failed');
  run.logger.info('refresh cycle finished', {
    refreshed: count('refreshed'),
    skipped: count('skipped'),
    failed,
  });
  if (failed === 0 && run.metrics !== undefined) {
    run.metrics.addMetric(RefresherMetrics.cycleSucceeded, MetricUnit.Count, 1);
    run.metrics.publishStoredMetrics();
  }
  return { results };
}

function resolveRun(config: BrokerConfig, options: RefreshCycleOptions): RefreshRun {
  const now = options.now ?? Date.now;
  const clients =
    options.ssm !== undefined && options.secretsManager !== undefined
      ? { ssm: options.ssm, secretsManager: options.secretsManager }
      : createRefresherClients();
  const scheduleSeconds = options.scheduleSeconds ?? refreshDefaults.scheduleSeconds;
  const marginSeconds = options.marginSeconds ?? refreshDefaults.marginSeconds;
  const loginTimeoutMs = options.loginTimeoutMs ?? refreshDefaults.loginTimeoutMs;
  const publishReserveMs = options.publishReserveMs ?? refreshDefaults.publishReserveMs;
  const leaseMs = options.leaseMs ?? refreshDefaults.leaseMs;
  if (!(leaseMs > loginTimeoutMs + publishReserveMs)) {
    throw new RangeError('leaseMs must exceed loginTimeoutMs + publishReserveMs');
  }
  return {
    runId: randomUUID(),
    startedAt: now(),
    parameterPrefix: config.parameterPrefix,
    force: options.force ?? refreshDefaults.force,
    horizonMs: (scheduleSeconds + marginSeconds) * 1000,
    kmsKeyId: options.kmsKeyId,
    loginTimeoutMs,
    publishReserveMs,
    leaseMs,
    login: options.login ?? loginInstance,
    ssm: options.ssm ?? clients.ssm,
    secretsManager: options.secretsManager ?? clients.secretsManager,
    logger: options.logger ?? new Logger({ logLevel: 'SILENT' }),
    metrics: options.metrics,
    now,
    remainingTimeMs: options.remainingTimeMs ?? (() => Number.POSITIVE_INFINITY),
  };
}
