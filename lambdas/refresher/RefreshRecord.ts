import type { InstanceResult } from './contract.ts';

/** Longest `reason` a {@link LastResult} keeps. */
export const MAX_LAST_RESULT_REASON = 512;

/** The refresher's last actual attempt on an instance (skips are not attempts). */
export interface LastResult {
  readonly outcome: 'refreshed' | 'failed';
  /** When the attempt ended, ISO 8601. */
  readonly at: string;
  /** The instance result's reason (never a secret), at most {@link MAX_LAST_RESULT_REASON} characters. */
  readonly reason?: string;
}

/**
 * An instance's refresh record: the value of its lock parameter (`lockParameterName`), which is
 * both the login lease and the memory of the last attempt, and is never deleted by the refresher.
 */
export interface RefreshRecord {
  /** The run that wrote it; `''` when the stored value is not a record. */
  readonly owner: string;
  /** Epoch ms until which no other run may log in; 0 when the stored value is not a record. */
  readonly leaseUntil: number;
  /**
   * `true` once the owner finished: a `leaseUntil` still in the future is then a TOTP cooldown
   * (the step of its login has not ended), not a login in progress.
   */
  readonly released: boolean;
  readonly lastResult?: LastResult;
}

/**
 * Reads a lock parameter's value. Anything that is not a record (an older lease without
 * `released`, garbage, `undefined`) still parses: a value without a valid owner and `leaseUntil`
 * counts as an expired lease, and an invalid `lastResult` is dropped.
 *
 * @example
 * parseRefreshRecord('garbage'); // => { owner: '', leaseUntil: 0, released: true }
 */
export function parseRefreshRecord(text: string | undefined): RefreshRecord {
  const value = parseJsonObject(text);
  const until = typeof value?.leaseUntil === 'string' ? Date.parse(value.leaseUntil) : Number.NaN;
  if (typeof value?.owner !== 'string' || Number.isNaN(until)) {
    return { owner: '', leaseUntil: 0, released: true };
  }
  const lastResult = parseLastResult(value.lastResult);
  return {
    owner: value.owner,
    leaseUntil: until,
    released: value.released === true,
    ...(lastResult === undefined ? {} : { lastResult }),
  };
}

/** The JSON a lock parameter stores for `record`. */
export function formatRefreshRecord(record: RefreshRecord): string {
  return JSON.stringify({
    owner: record.owner,
    leaseUntil: new Date(record.leaseUntil).toISOString(),
    ...(record.released ? { released: true } : {}),
    ...(record.lastResult === undefined ? {} : { lastResult: record.lastResult }),
  });
}

/**
 * What a run's result tells the record: `refreshed` and `failed` are attempts; `skipped` is not
 * (`undefined`: the previous last result stays).
 *
 * @param at - when the attempt ended, epoch ms
 */
export function lastResultOf(result: InstanceResult, at: number): LastResult | undefined {
  if (result.outcome !== 'refreshed' && result.outcome !== 'failed') return undefined;
  return {
    outcome: result.outcome,
    at: new Date(at).toISOString(),
    ...(result.reason === undefined ? {} : { reason: capReason(result.reason) }),
  };
}

function parseLastResult(value: unknown): LastResult | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { outcome, at, reason } = value as Record<string, unknown>;
  if (outcome !== 'refreshed' && outcome !== 'failed') return undefined;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return undefined;
  return { outcome, at, ...(typeof reason === 'string' ? { reason: capReason(reason) } : {}) };
}

function parseJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function capReason(reason: string): string {
  return reason.length > MAX_LAST_RESULT_REASON
    ? `${reason.slice(0, MAX_LAST_RESULT_REASON - 1)}…`
    : reason;
}
