import {
  type BrokerConfig,
  type InstanceConfig,
  parseBrokerConfigJson,
} from '../../lambdas/config/index.ts';
import { UsageError } from '../commands/Command.ts';
import { readOptionFile } from './readOptionFile.ts';

/**
 * Reads and validates a broker configuration file (the JSON document of DESIGN.md).
 *
 * @throws {ConfigError} naming the file and every bad field
 */
export async function readConfigFile(path: string): Promise<BrokerConfig> {
  const text = await readOptionFile('--config', path);
  return parseBrokerConfigJson(text, path);
}

/**
 * Finds a configured instance by name.
 *
 * @throws {UsageError} listing the configured names when there is none of that name
 */
export function findInstance(config: BrokerConfig, name: string): InstanceConfig {
  const instance = config.instances.find((candidate) => candidate.name === name);
  if (instance === undefined) {
    const known = config.instances.map((candidate) => candidate.name).join(', ');
    throw new UsageError(`no instance "${name}" in the configuration (configured: ${known})`);
  }
  return instance;
}
