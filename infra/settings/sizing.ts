import { refreshDefaults } from '../../lambdas/refresher/RefreshCycleOptions.ts';

/** Logins the refresher runs at the same time (its `concurrency` default). */
const LOGIN_CONCURRENCY = refreshDefaults.concurrency;

/**
 * The refresher's default timeout for a number of instances, in seconds: 90 s covers one slow login
 * (the 45 s login timeout, which includes a wait for the next TOTP step) and its publish, plus 5 s
 * per batch of concurrent logins; at most Lambda's 900 s. The refresher starts no login it cannot
 * finish, so a short timeout defers instances to the next run rather than cutting a login off.
 *
 * @example
 * defaultTimeoutSeconds(4); // => 95
 */
export function defaultTimeoutSeconds(instanceCount: number): number {
  return Math.min(900, 90 + 5 * Math.ceil(instanceCount / LOGIN_CONCURRENCY));
}

/**
 * The refresher's default memory for a number of instances, in MB: 256, plus 128 per 250
 * instances, at most 1024. Memory also buys CPU for TLS handshakes and JSON work.
 *
 * @example
 * defaultMemoryMb(1000); // => 768
 */
export function defaultMemoryMb(instanceCount: number): number {
  return Math.min(1024, 256 + 128 * Math.floor(instanceCount / 250));
}
