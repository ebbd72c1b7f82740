import type { TokenEnvelope } from '../envelope/index.ts';

/** The kinds of state an instance's token parameter can be in. */
export const StoredTokenKinds = {
  /** No parameter, or the pending value `pulumi up` writes before the first publish. */
  missing: 'missing',
  /** A value that is not a valid envelope for the instance. */
  unreadable: 'unreadable',
  /** A valid envelope (possibly expired). */
  present: 'present',
} as const;

/** What the token parameter of one instance holds. */
export type StoredToken =
  | { readonly kind: typeof StoredTokenKinds.missing }
  | { readonly kind: typeof StoredTokenKinds.unreadable; readonly reason: string }
  | { readonly kind: typeof StoredTokenKinds.present; readonly envelope: TokenEnvelope };
