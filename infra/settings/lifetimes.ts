import type { ProviderType } from '../../lambdas/config/index.ts';
import { providers } from '../../lambdas/providers/index.ts';

/**
 * The shortest token lifetime to plan for, per provider type, in seconds: each provider's
 * `documentedLifetimeSeconds` (README, "How it works"). For generic OAuth2 servers that is 300 s,
 * the shortest common default (Keycloak's access-token lifespan), since RFC 6749 fixes none. An
 * `http-json-login` vendor is unknown, so it is planned as short-lived as OAuth2 (its instances
 * may live longer; set `scheduleRate` then).
 */
export const plannedLifetimeSeconds: Readonly<Record<ProviderType, number>> = Object.fromEntries(
  Object.values(providers).map((provider) => [provider.type, provider.documentedLifetimeSeconds]),
) as Record<ProviderType, number>;

/**
 * The default seconds between scheduled runs: a third of the shortest planned lifetime among the
 * configured types, in whole minutes, at least one minute. A token is then refreshed at least
 * twice before it could expire, so one failed run never lets it lapse.
 *
 * @example
 * defaultScheduleSeconds(['crisisworks']); // => 1200 (20 minutes)
 */
export function defaultScheduleSeconds(types: readonly ProviderType[]): number {
  const shortest = Math.min(...types.map((type) => plannedLifetimeSeconds[type]));
  return Math.max(1, Math.floor(shortest / 3 / 60)) * 60;
}
