import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BrokerConfig } from '../config/index.ts';
import { abortableSleep } from '../http/index.ts';
import { loginInstance } from '../providers/index.ts';
import { type InstanceResult, REFRESH_OUTCOMES, RefresherMetrics } from './contract.ts';
import { createRefresherClients, type RefresherClients } from './createRefresherClients.ts';
import { AwsServiceError, describeEndpoint, describeError } from './errors.ts';
import { mapWithConcurrency } from './mapWithConcurrency.ts';
import { pacingLimitsFor } from './pacing.ts';
import { byUrgency, selectInstances } from './planRun.ts';
import {
  type RefreshCycleOptions,
  type RefreshRun,
  type RefreshSummary,
  refreshDefaults,
} from './RefreshCycleOptions.ts';
import { refreshInstance } from './refreshInstance.ts';
import { StateTable } from './StateTable.ts';
import { readStoredTokens } from './tokenParameter.ts';

/**
 * Runs one refresh cycle: every selected instance whose stored token is missing, unreadable,
 * expired, due before the next scheduled run plus a margin, or forced, is logged in to (most
 * urgent first, bounded concurrency, one login lease per instance in the state table) and its
 * envelope published with one PutParameter. One instance's failure never stops the others, and
 * never replaces its stored token. Instances the run has no time left for are `deferred`.
 *
 * @param config - the validated broker configuration
 * @param options - see {@link RefreshCycleOptions}; each default is documented there
 * @returns every instance's result; it does not throw when instances fail (check `outcome`)
 * @throws {RefreshEventError} when `names` lists an instance that is not configured
 * @throws {StateTableMissingError} when the state table does not exist
 * @throws {AwsServiceError} when SSM failed every read of the stored tokens (naming the service
 *   and its endpoint once, rather than failing every instance)
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
  const setup = resolveRun(config, options);
  setup.logger.info('refresh cycle started', { instances: instances.length, force: setup.force });
  const names = instances.map((instance) => instance.name);
  // Reading the records first checks that the table exists before any instance is attempted.
  const [stored] = await Promise.all([
    readStoredTokens(setup.ssm, setup.parameterPrefix, instances),
    setup.stateTable.readRecords(names),
  ]);
  const unread = [...stored.values()].filter((value) => value instanceof Error);
  if (instances.length > 0 && unread.length === stored.size) {
    const [first] = unread;
    throw new AwsServiceError(
      'SSM',
      await describeEndpoint(setup.ssm),
      first?.cause instanceof Error ? describeError(first.cause) : String(first?.message),
      { cause: first },
    );
  }
  // Started once it has read what is stored (and AWS's clock has answered): a token issued from
  // now on was published by another run during this one.
  const run: RefreshRun = { ...setup, startedAt: setup.now() };
  const results = new Map<string, InstanceResult>();
  await mapWithConcurrency(byUrgency(instances, stored), run.concurrency, async (instance) => {
    const result = await refreshInstance(
      instance,
      run,
      stored.get(instance.name) ?? { kind: 'missing' },
    );
    options.onResult?.(result);
    results.set(instance.name, result);
  });
  const ordered = names.flatMap((name) => results.get(name) ?? []);
  const counts = Object.fromEntries(
    REFRESH_OUTCOMES.map((outcome) => [
      outcome,
      ordered.filter((result) => result.outcome === outcome).length,
    ]),
  );
  run.logger.info('refresh cycle finished', counts);
  if (counts.failed === 0 && run.metrics !== undefined) {
    run.metrics.addMetric(RefresherMetrics.cycleSucceeded, MetricUnit.Count, 1);
    run.metrics.publishStoredMetrics();
  }
  return { results: ordered };
}

function resolveRun(
  config: BrokerConfig,
  options: RefreshCycleOptions,
): Omit<RefreshRun, 'startedAt'> {
  const { ssm, secretsManager, dynamodb, pacers, clock } = resolveClients(config, options);
  const now = options.now ?? clock?.now ?? Date.now;
  const concurrency = options.concurrency ?? refreshDefaults.concurrency;
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
    concurrency,
    parameterPrefix: config.parameterPrefix,
    force: (options.force ?? refreshDefaults.force) || options.onDemand === true,
    onDemandCooldownMs:
      options.onDemand === true
        ? (options.onDemandCooldownSeconds ?? refreshDefaults.onDemandCooldownSeconds) * 1000
        : 0,
    horizonMs: (scheduleSeconds + marginSeconds) * 1000,
    kmsKeyId: options.kmsKeyId,
    loginTimeoutMs,
    publishReserveMs,
    leaseMs,
    login: options.login ?? loginInstance,
    ssm,
    secretsManager,
    stateTable: new StateTable({ dynamodb, tableName: config.stateTable, now }),
    // A publish may queue behind one from every other login in flight.
    publishWaitMs: () => pacers?.putParameter.delayMs(concurrency) ?? 0,
    logger: options.logger ?? new Logger({ logLevel: 'SILENT' }),
    metrics: options.metrics,
    now,
    sleep: options.sleep ?? abortableSleep,
    remainingTimeMs: options.remainingTimeMs ?? (() => Number.POSITIVE_INFINITY),
  };
}

/** The injected clients, and the refresher's own (paced for the configuration) for the others. */
function resolveClients(config: BrokerConfig, options: RefreshCycleOptions): RefresherClients {
  const { ssm, secretsManager, dynamodb, pacers, clock } = options;
  if (ssm !== undefined && secretsManager !== undefined && dynamodb !== undefined) {
    return {
      ssm,
      secretsManager,
      dynamodb,
      ...(pacers === undefined ? {} : { pacers }),
      ...(clock === undefined ? {} : { clock }),
    };
  }
  const defaults = createRefresherClients({ pacing: pacingLimitsFor(config) });
  const chosenPacers = pacers ?? (ssm === undefined ? defaults.pacers : undefined);
  const chosenClock = clock ?? (dynamodb === undefined ? defaults.clock : undefined);
  return {
    ssm: ssm ?? defaults.ssm,
    secretsManager: secretsManager ?? defaults.secretsManager,
    dynamodb: dynamodb ?? defaults.dynamodb,
    ...(chosenPacers === undefined ? {} : { pacers: chosenPacers }),
    ...(chosenClock === undefined ? {} : { clock: chosenClock }),
  };
}
