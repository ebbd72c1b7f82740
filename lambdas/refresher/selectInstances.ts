import type { BrokerConfig, InstanceConfig } from '../config/index.ts';
import { RefreshEventError } from './errors.ts';

/**
 * The configured instances a run covers, in configuration order.
 *
 * @param names - only these (default: all)
 * @throws {RefreshEventError} naming every requested instance that is not configured
 */
export function selectInstances(
  config: BrokerConfig,
  names?: readonly string[],
): readonly InstanceConfig[] {
  if (names === undefined) return config.instances;
  const configured = new Set(config.instances.map((instance) => instance.name));
  const unknown = names.filter((name) => !configured.has(name));
  if (unknown.length > 0) {
    throw new RefreshEventError(`not configured: ${unknown.map((name) => `"${name}"`).join(', ')}`);
  }
  const wanted = new Set(names);
  return config.instances.filter((instance) => wanted.has(instance.name));
}
