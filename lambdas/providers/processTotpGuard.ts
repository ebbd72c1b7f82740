import { TotpGuard } from '../totp/index.ts';

/**
 * The TOTP guard {@link loginInstance} uses when none is given: one per process, so a warm Lambda
 * never re-sends a code across invocations.
 *
 * @example
 * await loginInstance(instance, credentials, { totpGuard: processTotpGuard });
 */
export const processTotpGuard = new TotpGuard();
