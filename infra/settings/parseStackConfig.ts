import type { BrokerSettings } from './BrokerSettings.ts';
import { BrokerSettingsError } from './errors.ts';
import { resolveBrokerSettings } from './resolveBrokerSettings.ts';

/** The stack config namespace of the broker's settings. */
export const STACK_CONFIG_NAMESPACE = 'token-broker';

/** The stack config as Pulumi holds it: full keys and their (decrypted) text values. */
export interface RawStackConfig {
  /** Every config value by full key (`pulumi.runtime.allConfig()`); other namespaces are ignored. */
  readonly values: Readonly<Record<string, string>>;
  /** The keys whose values are secrets (`pulumi.runtime.isConfigSecret`). */
  readonly secretKeys: ReadonlySet<string>;
}

/**
 * Reads and validates the `token-broker:*` stack config. A pure function: the program calls it
 * with `pulumi.runtime.allConfig()` before creating any resource. Values are decoded as JSON when
 * they are JSON (objects, numbers, booleans) and taken as text otherwise.
 *
 * @returns the validated settings, defaults applied, which `TokenBroker` takes as they are
 * @throws {BrokerSettingsError} naming each bad key, such as `token-broker:instances[1].baseUrl`;
 *   `token-broker:credentials` must be a secret (`pulumi config set --secret --path ...`)
 * @example
 * parseStackConfig({ values: pulumi.runtime.allConfig(), secretKeys });
 */
export function parseStackConfig(raw: RawStackConfig): BrokerSettings {
  const prefix = `${STACK_CONFIG_NAMESPACE}:`;
  const settings: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw.values)) {
    if (key.startsWith(prefix)) settings[key.slice(prefix.length)] = decode(text);
  }
  const credentialsKey = `${prefix}credentials`;
  if (settings.credentials !== undefined && !raw.secretKeys.has(credentialsKey)) {
    throw new BrokerSettingsError([
      {
        key: credentialsKey,
        message: 'must be a secret: set it with "pulumi config set --secret --path"',
      },
    ]);
  }
  return resolveBrokerSettings(settings, prefix);
}

function decode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
