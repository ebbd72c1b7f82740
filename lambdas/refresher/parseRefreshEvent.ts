import type { RefreshEvent } from '../reader/contract/refreshEvent.ts';
import { RefreshEventError } from './errors.ts';

const EVENT_KEYS = new Set(['names', 'force', 'onDemand']);

/**
 * Reads the refresher's invocation event: a scheduled event (EventBridge or Scheduler: anything
 * with `source` or `detail-type`, or nothing) means "all instances", otherwise the event must be a
 * {@link RefreshEvent}.
 *
 * @throws {RefreshEventError} naming the field that is wrong
 */
export function parseRefreshEvent(event: unknown): RefreshEvent {
  if (event === undefined || event === null) return {};
  if (typeof event !== 'object' || Array.isArray(event)) {
    throw new RefreshEventError('the event must be an object such as {"names":["a"],"force":true}');
  }
  const record = event as Record<string, unknown>;
  if ('source' in record || 'detail-type' in record) return {};
  const unknown = Object.keys(record).filter((key) => !EVENT_KEYS.has(key));
  if (unknown.length > 0) {
    throw new RefreshEventError(`unknown event field(s): ${unknown.join(', ')}`);
  }
  const { names, force, onDemand } = record;
  if (
    names !== undefined &&
    !(Array.isArray(names) && names.every((name) => typeof name === 'string' && name !== ''))
  ) {
    throw new RefreshEventError('"names" must be an array of instance names');
  }
  if (force !== undefined && typeof force !== 'boolean') {
    throw new RefreshEventError('"force" must be true or false');
  }
  if (onDemand !== undefined && typeof onDemand !== 'boolean') {
    throw new RefreshEventError('"onDemand" must be true or false');
  }
  return {
    ...(names === undefined ? {} : { names: names as string[] }),
    ...(force === undefined ? {} : { force }),
    ...(onDemand === undefined ? {} : { onDemand }),
  };
}
