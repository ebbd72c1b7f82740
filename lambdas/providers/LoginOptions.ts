import type { Credentials } from '../config/index.ts';
import type { HttpOptions } from '../http/index.ts';
import { TotpGuard } from '../totp/index.ts';

/**
 * Options of {@link loginInstance}: the HTTP settings (timeouts, retries, body cap, injectable
 * clock, jitter and sleep; see {@link HttpOptions} for each default), the TOTP guard and where
 * notices go.
 *
 * @example
 * await loginInstance(instance, credentials, { signal, onNotice: (message) => logger.warn(message) });
 */
export interface LoginOptions extends HttpOptions {
  /** Aborts the login, retries and TOTP waits included. */
  readonly signal?: AbortSignal;
  /** Clock in epoch ms, for `issuedAt` and retry timing. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Remembers which TOTP steps were used, so a code is never sent twice. Keep one per process.
   * Default {@link processTotpGuard}.
   */
  readonly totpGuard?: Pick<TotpGuard, 'nextCode'>;
  /**
   * Told what a login changed on its own, such as a token lifetime capped at the instance's
   * `maxLifetimeSeconds`: one sentence naming the instance, never a token or secret, for the
   * caller's log. Default: nobody.
   */
  readonly onNotice?: ((message: string) => void) | undefined;

  /**
   * Called as soon as the server hands out credentials that replace the stored ones (a rotated
   * refresh token), with the complete updated credentials, before the login goes on: even when
   * the login fails afterwards, the old credentials no longer work. Store them. Default: none.
   */
  readonly onCredentialsRotated?: ((credentials: Credentials) => void) | undefined;
}

/**
 * The TOTP guard {@link loginInstance} uses when none is given: one per process, so a warm Lambda
 * never re-sends a code across invocations.
 *
 * @example
 * await loginInstance(instance, credentials, { totpGuard: processTotpGuard });
 */
export const processTotpGuard = new TotpGuard();
