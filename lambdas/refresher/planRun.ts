import type { BrokerConfig, InstanceConfig } from '../config/index.ts';
import { RefreshEventError, type StoreAccessError } from './errors.ts';
import type { StoredToken } from './tokenParameter.ts';

/** What {@link dueReason} needs to know besides the stored token. */
export interface DueCheck {
  /** Now, in epoch milliseconds. */
  readonly now: number;
  /** Milliseconds from now within which a `refreshAt` makes the token due (next run plus margin). */
  readonly horizonMs: number;
  /** Log in even when the token is fresh. */
  readonly force: boolean;
}

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

/**
 * Why an instance must be refreshed in this run, or `undefined` when its stored token stays fresh
 * until after the next scheduled run (plus a margin).
 *
 * @example
 * dueReason({ kind: 'missing' }, { now: Date.now(), horizonMs: 360_000, force: false });
 * // => 'no token is stored'
 */
export function dueReason(stored: StoredToken, check: DueCheck): string | undefined {
  if (stored.kind === 'missing') return 'no token is stored';
  if (stored.kind === 'unreadable') return `the stored value is unreadable (${stored.reason})`;
  const { expiresAt, refreshAt } = stored.envelope;
  if (Date.parse(expiresAt) <= check.now) return `the stored token expired at ${expiresAt}`;
  if (Date.parse(refreshAt) <= check.now + check.horizonMs) {
    return `the stored token is due for refresh at ${refreshAt}`;
  }
  if (check.force) return 'forced';
  return undefined;
}

/**
 * The order in which a run attempts instances, most urgent first: those without a valid stored
 * envelope (missing, unreadable, or not read from SSM), then by earliest expiry, so expired ones
 * come next. When a run has
 * time for only some, the ones readers need most go first; the rest are deferred to the next run.
 * Stable: instances of equal urgency keep their configuration order.
 *
 * @param stored - what the run read for each instance at its start
 */
export function byUrgency(
  instances: readonly InstanceConfig[],
  stored: ReadonlyMap<string, StoredToken | StoreAccessError>,
): InstanceConfig[] {
  const expiry = (instance: InstanceConfig): number => {
    const value = stored.get(instance.name);
    return value === undefined || value instanceof Error || value.kind !== 'present'
      ? Number.NEGATIVE_INFINITY
      : Date.parse(value.envelope.expiresAt);
  };
  return instances
    .map((instance, index) => ({ instance, index, expiry: expiry(instance) }))
    .sort((a, b) => a.expiry - b.expiry || a.index - b.index)
    .map(({ instance }) => instance);
}
