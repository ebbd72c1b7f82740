import {
  type BrokerConfig,
  ConfigError,
  closestMatch,
  type InstanceConfig,
  parseBrokerConfigJson,
} from '../../lambdas/config/index.ts';
import { UsageError } from '../commands/Command.ts';
import { readOptionFile } from './readInput.ts';

/**
 * Reads and validates a broker configuration file (the JSON document of the README's
 * "Configuration"). A missing or invalid file is a usage mistake (exit 2), like a missing option.
 *
 * @example
 * const config = await readConfigFile('broker.json');
 * @throws {UsageError} naming the file and its system error, or every bad field (its `cause` is
 * the {@link ConfigError})
 */
export async function readConfigFile(path: string): Promise<BrokerConfig> {
  const text = await readOptionFile('--config', path);
  try {
    return parseBrokerConfigJson(text, path);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

/**
 * Finds a configured instance by name.
 *
 * @example
 * const instance = findInstance(config, 'cw-sandbox');
 * @throws {UsageError} listing the configured names (and the likeliest) when there is none of that name
 */
export function findInstance(config: BrokerConfig, name: string): InstanceConfig {
  const instance = config.instances.find((candidate) => candidate.name === name);
  if (instance === undefined) {
    const known = config.instances.map((candidate) => candidate.name);
    const match = closestMatch(name, known);
    const hint = match === undefined ? '' : `; did you mean "${match}"?`;
    throw new UsageError(
      `no instance "${name}" in the configuration (configured: ${known.join(', ')})${hint}`,
    );
  }
  return instance;
}
