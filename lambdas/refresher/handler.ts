import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { loginInstance } from '../providers/index.ts';
import { RefresherMetrics, refresherServiceName } from './contract.ts';
import { createRefresherClients } from './createRefresherClients.ts';
import { createRefreshHandler } from './createRefreshHandler.ts';
import { pacingLimitsFor } from './pacing.ts';
import { readRefresherEnvironment } from './readRefresherEnvironment.ts';

/*
 * INIT: the configuration is read and validated once, so a bad deployment fails at cold start
 * with a ConfigError naming the variable (or file) and field; clients, logger and metrics are
 * reused by every invocation of this execution environment. A configuration file is resolved
 * against this module's directory: the root of the deployment archive, where it was shipped.
 */
const settings = readRefresherEnvironment(process.env, dirname(fileURLToPath(import.meta.url)));
const serviceName = refresherServiceName(settings.config.parameterPrefix);
const logger = new Logger({ serviceName });
const metrics = new Metrics({
  namespace: RefresherMetrics.namespace,
  serviceName,
});

/**
 * The refresher Lambda's entry point (bundled by the infrastructure with esbuild). Invoked by the
 * schedule, or directly with `{ "names"?: string[], "force"?: boolean }`; returns
 * `{ results: InstanceResult[] }`, or throws a RefreshFailedError naming each failed instance
 * after all were attempted.
 */
export const handler = createRefreshHandler(settings, {
  ...createRefresherClients({ pacing: pacingLimitsFor(settings.config) }),
  login: loginInstance,
  logger,
  metrics,
});
