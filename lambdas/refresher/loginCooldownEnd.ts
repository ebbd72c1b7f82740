import type { Credentials } from '../config/index.ts';
import { TOTP_PERIOD_SECONDS, totpStep } from '../totp/index.ts';

/** Added to the end of a TOTP step for clock skew between the refresher's containers. */
export const TOTP_SKEW_MARGIN_MS = 1000;

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

/**
 * When another run may log in to an instance after this run's login ended at `loginEndedAt`
 * (epoch ms): with a TOTP seed, after the step the login's code belonged to (at the latest the
 * step it ended in) plus {@link TOTP_SKEW_MARGIN_MS}, since the vendor refuses a code of a step
 * that was already used; without one, at once.
 *
 * @example
 * loginCooldownEnd({ username, password, totpSecret }, Date.parse('2026-11-22T09:00:10Z'));
 * // => Date.parse('2026-11-22T09:00:31Z')
 */
export function loginCooldownEnd(credentials: Credentials, loginEndedAt: number): number {
  if (!('totpSecret' in credentials) || credentials.totpSecret === undefined) return loginEndedAt;
  return (totpStep(loginEndedAt) + 1) * STEP_MS + TOTP_SKEW_MARGIN_MS;
}
