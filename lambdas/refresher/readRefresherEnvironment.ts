import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { type BrokerConfig, ConfigError, parseBrokerConfigJson } from '../config/index.ts';
import { RefresherEnvironment } from './contract.ts';
import { refreshDefaults } from './RefreshCycleOptions.ts';

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

const { config: CONFIG, configFile: CONFIG_FILE } = RefresherEnvironment;

/**
 * Reads the broker configuration document from wherever the deployment put it: inline in
 * `TOKEN_BROKER_CONFIG`, or in the file named by `TOKEN_BROKER_CONFIG_FILE` (a path relative to
 * `baseDirectory`, the handler's directory, which is the Lambda task root). Exactly one of the two
 * must be set. Reads synchronously: call it once, at INIT.
 *
 * @param env - the process environment
 * @param baseDirectory - the directory a relative `TOKEN_BROKER_CONFIG_FILE` is resolved against
 * @throws {ConfigError} naming both variables when neither or both are set; naming the variable
 *   when the file path is absolute or leaves `baseDirectory`; naming the file when it cannot be
 *   read, is not JSON or has an invalid field
 * @example
 * readConfigSource({ TOKEN_BROKER_CONFIG_FILE: 'config.json' }, '/var/task');
 */
function readConfigSource(env: NodeJS.ProcessEnv, baseDirectory: string): BrokerConfig {
  const inline = nonBlank(env[CONFIG]);
  const file = nonBlank(env[CONFIG_FILE]);
  if ((inline === undefined) === (file === undefined)) {
    throw new ConfigError(
      'environment',
      `exactly one of ${CONFIG} and ${CONFIG_FILE} must be set (${inline === undefined ? 'neither' : 'both'} are)`,
    );
  }
  if (inline !== undefined) return parseBrokerConfigJson(inline, `environment variable ${CONFIG}`);
  const path = resolveInside(baseDirectory, file as string);
  const source = `file ${path} named by ${CONFIG_FILE}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(source, `cannot be read (${(error as NodeJS.ErrnoException).code})`, {
      cause: error,
    });
  }
  return parseBrokerConfigJson(text, source);
}

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** `relativePath` resolved against `baseDirectory`, refusing absolute paths and `..` escapes. */
function resolveInside(baseDirectory: string, relativePath: string): string {
  const base = resolve(baseDirectory);
  const path = resolve(base, relativePath);
  const inside = relative(base, path);
  if (
    isAbsolute(relativePath) ||
    inside === '' ||
    isAbsolute(inside) ||
    inside === '..' ||
    inside.startsWith(`..${sep}`)
  ) {
    throw new ConfigError(
      'environment',
      `${CONFIG_FILE} must be a file path relative to the function's directory, inside it`,
    );
  }
  return path;
}
