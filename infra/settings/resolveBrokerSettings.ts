import type { z } from 'zod';
import {
  type BrokerConfig,
  brokerConfigSchema,
  type Credentials,
  credentialsSchemaFor,
  formatIssuePath,
  ProviderTypes,
  readersOf,
} from '../../lambdas/config/index.ts';
import type { BrokerSettings, BrokerSettingsInput } from './BrokerSettings.ts';
import { BrokerSettingsError } from './errors.ts';
import { defaultScheduleSeconds } from './lifetimes.ts';
import { parseScheduleRate, scheduleRateLimits } from './scheduleRate.ts';
import { settingsSchema } from './settingsSchema.ts';
import { defaultMemoryMb, defaultTimeoutSeconds } from './sizing.ts';

/** Defaults of {@link BrokerSettingsInput} that do not depend on the instances. */
export const settingsDefaults = {
  logRetentionDays: 30,
  reservedConcurrency: 2,
  secretRecoveryDays: 7,
  exampleConsumer: false,
  allowCrossAccountRefresh: false,
} as const;

/**
 * The most instances one stack accepts. Each adds a secret and a token parameter to the stack, an
 * item to its state table, and a login to the one refresher's runs; beyond this, split the
 * instances over several stacks, each with its own parameterPrefix.
 */
export const MAX_INSTANCES = 5000;

interface Problem {
  key: string;
  message: string;
}

/**
 * Validates the broker's settings and applies every default. A pure function: call it before
 * creating resources, so a bad setting fails `pulumi preview` with a message naming the key.
 *
 * @param input - the settings ({@link BrokerSettingsInput}: stack config values or `TokenBroker` arguments)
 * @param keyPrefix - prepended to each key in error messages, such as `token-broker:`; default `''`
 * @throws {BrokerSettingsError} naming every bad key; never a credential value
 * @example
 * const settings = resolveBrokerSettings({ parameterPrefix: '/tb/dev', instances: [...] });
 */
export function resolveBrokerSettings(input: unknown, keyPrefix = ''): BrokerSettings {
  const problems: Problem[] = [];
  const report = (issues: readonly z.core.$ZodIssue[], base: readonly PropertyKey[] = []) => {
    for (const issue of issues) {
      if (issue.code === 'unrecognized_keys' && base[0] === 'credentials') {
        // A credentials key may be a pasted secret: count the unknown fields, never name them.
        problems.push({
          key: keyPrefix + formatIssuePath([...base, ...issue.path]),
          message: `${issue.keys.length} unrecognised field(s)`,
        });
        continue;
      }
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          problems.push({
            key: keyPrefix + formatIssuePath([...base, ...issue.path, key]),
            message: 'unknown setting',
          });
        }
        continue;
      }
      problems.push({
        key: keyPrefix + formatIssuePath([...base, ...issue.path]),
        message: issue.message,
      });
    }
  };
  const fail = () => new BrokerSettingsError(problems);

  const shape = settingsSchema.safeParse(input);
  if (!shape.success) {
    report(shape.error.issues);
    throw fail();
  }
  const raw = shape.data;
  const parsedConfig = brokerConfigSchema.safeParse({
    parameterPrefix: raw.parameterPrefix,
    instances: raw.instances,
    stateTable: raw.stateTable,
    ssmThroughput: raw.ssmThroughput,
  });
  if (!parsedConfig.success) {
    report(parsedConfig.error.issues);
    throw fail();
  }
  const config = withStackReaders(parsedConfig.data, raw.readerOrganizations ?? []);

  const credentials: Record<string, Credentials> = {};
  for (const [name, value] of Object.entries(raw.credentials ?? {})) {
    const instance = config.instances.find((candidate) => candidate.name === name);
    if (instance === undefined) {
      problems.push({
        key: `${keyPrefix}credentials.${name}`,
        message: 'no instance has this name',
      });
      continue;
    }
    if (instance.secretId !== undefined) {
      problems.push({
        key: `${keyPrefix}credentials.${name}`,
        message:
          'the instance reads the existing secret in its secretId: store the credentials there',
      });
      continue;
    }
    if (instance.type === ProviderTypes.oauth2RefreshToken) {
      problems.push({
        key: `${keyPrefix}credentials.${name}`,
        message:
          'the refresher rotates this instance\'s refresh token in its secret, and the stack would write the retired one back: store it with "token-broker authorize" (or put-credentials) instead',
      });
      continue;
    }
    const parsed = credentialsSchemaFor(instance).safeParse(value);
    if (parsed.success) credentials[name] = parsed.data;
    else report(parsed.error.issues, ['credentials', name]);
  }

  let scheduleSeconds = defaultScheduleSeconds(config.instances.map((instance) => instance.type));
  if (raw.scheduleRate !== undefined) {
    const seconds = parseScheduleRate(raw.scheduleRate);
    if (
      seconds === undefined ||
      seconds < scheduleRateLimits.minSeconds ||
      seconds > scheduleRateLimits.maxSeconds
    ) {
      problems.push({
        key: `${keyPrefix}scheduleRate`,
        message: 'must be a rate from "1 minute" to "12 hours", such as "5 minutes" or "1 hour"',
      });
    } else {
      scheduleSeconds = seconds;
    }
  }

  const count = config.instances.length;
  if (count > MAX_INSTANCES) {
    problems.push({
      key: `${keyPrefix}instances`,
      message: `lists ${count} instances, more than the ${MAX_INSTANCES} one stack accepts: split them over several stacks (each with its own parameterPrefix)`,
    });
  }
  const allowCrossAccountRefresh =
    raw.allowCrossAccountRefresh ?? settingsDefaults.allowCrossAccountRefresh;
  const readerAccounts = [
    ...new Set(config.instances.flatMap((instance) => readersOf(instance).accounts)),
  ];
  if (allowCrossAccountRefresh && readerAccounts.length === 0) {
    problems.push({
      key: `${keyPrefix}allowCrossAccountRefresh`,
      message:
        'no instance lists readerAccounts: the refresher is opened to reader accounts only (not to whole organizations)',
    });
  }
  if (problems.length > 0) throw fail();

  return {
    config,
    credentials,
    scheduleSeconds,
    kmsKeyArn: raw.kmsKeyArn,
    alarmEmail: raw.alarmEmail,
    logRetentionDays: raw.logRetentionDays ?? settingsDefaults.logRetentionDays,
    refresherMemoryMb: raw.refresherMemoryMb ?? defaultMemoryMb(count),
    refresherTimeoutSeconds: raw.refresherTimeoutSeconds ?? defaultTimeoutSeconds(count),
    reservedConcurrency: raw.reservedConcurrency ?? settingsDefaults.reservedConcurrency,
    expiryAlarmSeconds: raw.expiryAlarmSeconds ?? scheduleSeconds,
    secretRecoveryDays: raw.secretRecoveryDays ?? settingsDefaults.secretRecoveryDays,
    exampleConsumer: raw.exampleConsumer ?? settingsDefaults.exampleConsumer,
    crossAccountRefreshAccounts: allowCrossAccountRefresh ? readerAccounts : [],
  };
}

/**
 * The configuration with the stack-wide reader organizations added to every instance's own, so
 * the document the refresher and the CLI read says for each instance whether it is shared.
 */
function withStackReaders(config: BrokerConfig, organizations: readonly string[]): BrokerConfig {
  if (organizations.length === 0) return config;
  return {
    ...config,
    instances: config.instances.map((instance) => ({
      ...instance,
      readerOrganizations: [
        ...new Set([...(instance.readerOrganizations ?? []), ...organizations]),
      ],
    })),
  };
}
