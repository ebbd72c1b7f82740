import type { StoredToken } from './StoredToken.ts';

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
