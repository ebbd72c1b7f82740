import type { InstanceConfig } from '../../lambdas/config/index.ts';
import { PENDING_TOKEN_VALUE, parseEnvelopeJson } from '../../lambdas/envelope/index.ts';

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
} as const;

/** One of {@link TokenStates}. */
export type TokenState = (typeof TokenStates)[keyof typeof TokenStates];

/** One row of `token-broker status`: an instance and what its parameter holds. No token. */
export interface TokenStatus {
  readonly name: string;
  readonly provider: InstanceConfig['type'];
  readonly state: TokenState;
  readonly issuedAt?: string;
  readonly expiresAt?: string;
  readonly refreshAt?: string;
  /** Why the parameter is unreadable. */
  readonly reason?: string;
  /** The refresher's last outcome for this instance, when known. */
  readonly lastResult?: string;
}

/** States in which readers cannot get a token. */
export const UNUSABLE_STATES: ReadonlySet<TokenState> = new Set([
  TokenStates.expired,
  TokenStates.missing,
  TokenStates.unreadable,
]);

/**
 * Classifies the stored value of an instance's token parameter at instant `now` (ms).
 *
 * @param value - the decrypted parameter value, or undefined when there is no parameter
 */
export function classifyToken(
  instance: InstanceConfig,
  value: string | undefined,
  now: number,
): TokenStatus {
  const base = { name: instance.name, provider: instance.type };
  if (value === undefined || value === PENDING_TOKEN_VALUE)
    return { ...base, state: TokenStates.missing };
  const parsed = parseEnvelopeJson(value);
  if (!parsed.ok) return { ...base, state: TokenStates.unreadable, reason: parsed.reason };
  const { issuedAt, expiresAt, refreshAt } = parsed.envelope;
  const state =
    now >= Date.parse(expiresAt)
      ? TokenStates.expired
      : now >= Date.parse(refreshAt)
        ? TokenStates.due
        : TokenStates.fresh;
  return { ...base, state, issuedAt, expiresAt, refreshAt };
}
