/*
 * The token-broker stack: reads and validates the `token-broker:*` stack config (errors name the
 * key), then builds one TokenBroker from the validated settings. `npm run build` compiles this to dist/infra/index.js, the
 * program Pulumi.yaml runs.
 */
import * as pulumi from '@pulumi/pulumi';
import { TokenBroker } from './components/TokenBroker.ts';
import { parseStackConfig, STACK_CONFIG_NAMESPACE } from './settings/parseStackConfig.ts';

// The SDK exports isConfigSecret at runtime but not in its typings; without it (another SDK
// version) every key counts as secret, so the check never blocks a deployment it cannot judge.
const { isConfigSecret } = pulumi.runtime as { isConfigSecret?: (key: string) => boolean };
const values = pulumi.runtime.allConfig();
const secretKeys = new Set(
  Object.keys(values).filter((key) => isConfigSecret === undefined || isConfigSecret(key)),
);
const broker = new TokenBroker(STACK_CONFIG_NAMESPACE, parseStackConfig({ values, secretKeys }));

/** Token parameter names, keyed by instance name: what readers read. */
export const parameterNames = broker.parameterNames;
/** Credentials secret ARNs, keyed by instance name: where `put-credentials` writes. */
export const secretArns = broker.secretArns;
/** Instances still without credentials: run `token-broker put-credentials NAME` for each. */
export const pendingCredentials = broker.pendingCredentials;
export const parameterPrefix = broker.settings.config.parameterPrefix;
/**
 * The broker configuration document, `stateTable` included, for the CLI's `--config FILE`
 * (`pulumi stack output brokerConfig --json`).
 */
export const brokerConfig = broker.settings.config;
/** The state table of login leases and refresh records. */
export const stateTableName = broker.stateTable.name;
export const functionName = broker.refresher.function.name;
export const functionArn = broker.refresher.function.arn;
export const scheduleName = broker.schedule.schedule.name;
export const dashboardName = broker.dashboard.dashboardName;
export const deadLetterQueueUrl = broker.deadLetterQueue.url;
export const alarmTopicArn = broker.alarms.topic?.arn;
export const exampleConsumerFunctionName = broker.exampleConsumer?.function.name;
/** How many instances the first refresh refreshed, deferred, found pending or failed. */
export const firstRefresh = broker.firstRefresh;
/**
 * The ARNs of the token parameters shared with other accounts, keyed by instance name: what
 * readers there read (`TOKEN_BROKER_PARAMETER_ARN_PREFIX` is the ARN without `/{name}`).
 */
export const sharedParameterArns = broker.sharedParameterArns;
/** The key the shared tokens are encrypted with; readers' roles need `kms:Decrypt` on it. */
export const sharedTokenKeyArn = broker.sharedTokenKeyArn;
/** With a configured kmsKeyArn and shared instances: the statements to add to its key policy. */
export const readerKeyPolicyStatements = broker.readerKeyPolicyStatements;
