import type { Credentials, InstanceConfig } from '../config/index.ts';
import type { TokenEnvelope } from '../reader/contract/index.ts';

/** What the refresher passes to a login. */
export interface LoginCallOptions {
  /** Aborted when the login would outlast its budget (timeout, or the Lambda's remaining time). */
  readonly signal: AbortSignal;
  /** The refresher's clock, epoch milliseconds. */
  readonly now: () => number;
  /** Told what the run should log, such as a lifetime capped at `maxLifetimeSeconds`. */
  readonly onNotice?: ((message: string) => void) | undefined;
  /**
   * Receives credentials the server replaced during the login (a rotated refresh token), complete,
   * as soon as they are known; the refresher stores them in the instance's secret before it
   * publishes. A login that rotates nothing never calls it.
   */
  readonly onCredentialsRotated?: ((credentials: Credentials) => void) | undefined;
}

/**
 * Logs in to one provider instance and returns its complete envelope. The default is the
 * providers' `loginInstance`; tests inject their own.
 */
export type LoginFunction = (
  instance: InstanceConfig,
  credentials: Credentials,
  options: LoginCallOptions,
) => Promise<TokenEnvelope>;
