import type { LastResult, TokenMetadata } from '../../lambdas/refresher/index.ts';

/** How usable an instance's stored token is, as `status` reports it. */
export const TokenStates = {
  /** Valid, and not yet due for refresh. */
  fresh: 'fresh',
  /** Valid, but past its refreshAt: the next run replaces it. */
  due: 'due',
  expired: 'expired',
  /** No parameter, or the placeholder `pulumi up` writes before the first publish. */
  missing: 'missing',
  /** The parameter does not hold a valid envelope. */
  unreadable: 'unreadable',
  /** No token yet, and the refresher found the credentials secret without a value. */
  pending: 'pending',
} as const;

/** One of {@link TokenStates}. */
export type TokenState = (typeof TokenStates)[keyof typeof TokenStates];

/** One row of `token-broker status`: an instance's stored token metadata and its state. */
export interface TokenStatus extends TokenMetadata {
  readonly state: TokenState;
  /** The refresher's last attempt on this instance (from its refresh record), when recorded. */
  readonly lastResult?: LastResult;
}

/** States in which readers cannot get a token. */
export const UNUSABLE_STATES: ReadonlySet<TokenState> = new Set([
  TokenStates.expired,
  TokenStates.missing,
  TokenStates.unreadable,
  TokenStates.pending,
]);

/**
 * Classifies an instance's stored token at instant `now` (epoch ms), with the refresher's last
 * result when one was recorded.
 */
export function classifyToken(
  metadata: TokenMetadata,
  now: number,
  lastResult?: LastResult,
): TokenStatus {
  const withResult = lastResult === undefined ? metadata : { ...metadata, lastResult };
  if (metadata.kind === 'missing' && lastResult?.outcome === 'pending') {
    return { ...withResult, state: TokenStates.pending };
  }
  if (metadata.kind !== 'present') return { ...withResult, state: metadata.kind };
  const { expiresAt = '', refreshAt = '' } = metadata;
  const state =
    now >= Date.parse(expiresAt)
      ? TokenStates.expired
      : now >= Date.parse(refreshAt)
        ? TokenStates.due
        : TokenStates.fresh;
  return { ...withResult, state };
}
