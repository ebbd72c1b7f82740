/**
 * Bounds of a token's lifetime (`expiresAt` minus `issuedAt`), in seconds, shared by the
 * refresher, which caps and refuses lifetimes, and the readers.
 *
 * @example
 * const capMs = (instance.maxLifetimeSeconds ?? TOKEN_LIFETIME.defaultMaxSeconds) * 1000;
 */
export const TOKEN_LIFETIME = {
  /** Shortest lifetime accepted: a reader hands out no token valid for less (its default minimum validity). */
  minSeconds: 60,
  /** Cap of a lifetime when the instance sets no `maxLifetimeSeconds`: 24 h. */
  defaultMaxSeconds: 86_400,
  /** Largest `maxLifetimeSeconds`, and longest lifetime an envelope may state: 365 days. */
  maxSeconds: 31_536_000,
} as const;
