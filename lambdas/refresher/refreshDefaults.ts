/** The defaults of {@link RefreshCycleOptions}, applied in one place. */
export const refreshDefaults = {
  force: false,
  scheduleSeconds: 300,
  marginSeconds: 60,
  concurrency: 8,
  /** Above one TOTP step (30 s): a login may have to wait for the next step's code. */
  loginTimeoutMs: 45_000,
  publishReserveMs: 5_000,
  leaseMs: 90_000,
} as const;

/**
 * SDK attempts per SSM or Secrets Manager call (first try included), with the adaptive retry
 * mode's client-side rate limiting. A run over 1,000 instances makes about 5,000 SSM calls; with
 * 10 attempts and backoff capped at 20 s a call survives more than a minute of throttling.
 */
export const SDK_MAX_ATTEMPTS = 10;
