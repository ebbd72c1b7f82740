import { type BrokerConfig, ConfigError } from '../config/index.ts';
import { RefresherEnvironment } from './contract.ts';
import { refreshDefaults } from './RefreshCycleOptions.ts';
import { readConfigSource } from './readConfigSource.ts';

/** The refresher's settings, as read from its environment. */
export interface RefresherSettings {
  readonly config: BrokerConfig;
  /** Seconds between scheduled runs. */
  readonly scheduleSeconds: number;
  readonly kmsKeyId?: string;
}

/**
 * Reads and validates the refresher's environment ({@link RefresherEnvironment}). Exactly one of
 * `TOKEN_BROKER_CONFIG` (the document) and `TOKEN_BROKER_CONFIG_FILE` (a file in the deployment
 * archive, relative to `baseDirectory`) is required; `TOKEN_BROKER_SCHEDULE_SECONDS` defaults to
 * 300; `TOKEN_BROKER_KMS_KEY_ID` is optional. Reads the file synchronously: call it at INIT.
 *
 * @param env - the process environment
 * @param baseDirectory - where `TOKEN_BROKER_CONFIG_FILE` is resolved: the handler's directory
 *   (the Lambda task root); default the working directory, which Lambda sets to the task root
 * @throws {ConfigError} naming the variable or file, and the field of the configuration, that is wrong
 *
 * @example
 * const { config, scheduleSeconds, kmsKeyId } = readRefresherEnvironment(process.env, '/var/task');
 */
export function readRefresherEnvironment(
  env: NodeJS.ProcessEnv,
  baseDirectory: string = process.cwd(),
): RefresherSettings {
  const config = readConfigSource(env, baseDirectory);
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
