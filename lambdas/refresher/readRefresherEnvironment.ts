import { type BrokerConfig, ConfigError, parseBrokerConfigJson } from '../config/index.ts';
import { RefresherEnvironment } from './contract.ts';
import { refreshDefaults } from './refreshDefaults.ts';

/** The refresher's settings, as read from its environment. */
export interface RefresherSettings {
  readonly config: BrokerConfig;
  /** Seconds between scheduled runs. */
  readonly scheduleSeconds: number;
  readonly kmsKeyId?: string;
}

/**
 * Reads and validates the refresher's environment ({@link RefresherEnvironment}).
 * `TOKEN_BROKER_CONFIG` is required; `TOKEN_BROKER_SCHEDULE_SECONDS` defaults to 300;
 * `TOKEN_BROKER_KMS_KEY_ID` is optional.
 *
 * @throws {ConfigError} naming the variable, and the field of the configuration, that is wrong
 *
 * @example
 * const { config, scheduleSeconds, kmsKeyId } = readRefresherEnvironment(process.env);
 */
export function readRefresherEnvironment(env: NodeJS.ProcessEnv): RefresherSettings {
  const configText = env[RefresherEnvironment.config];
  if (configText === undefined || configText.trim() === '') {
    throw new ConfigError('environment', `${RefresherEnvironment.config} is not set`);
  }
  const config = parseBrokerConfigJson(
    configText,
    `environment variable ${RefresherEnvironment.config}`,
  );
  const kmsKeyId = env[RefresherEnvironment.kmsKeyId];
  return {
    config,
    scheduleSeconds: readScheduleSeconds(env[RefresherEnvironment.scheduleSeconds]),
    ...(kmsKeyId === undefined || kmsKeyId === '' ? {} : { kmsKeyId }),
  };
}

function readScheduleSeconds(text: string | undefined): number {
  if (text === undefined || text === '') return refreshDefaults.scheduleSeconds;
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < 60 || seconds > 86_400) {
    throw new ConfigError(
      'environment',
      `${RefresherEnvironment.scheduleSeconds} must be a whole number of seconds from 60 to 86400`,
    );
  }
  return seconds;
}
