import { type ProviderType, ProviderTypes } from '../../lambdas/config/index.ts';

/**
 * The shortest token lifetime to plan for, per provider type, in seconds: the vendors' documented
 * lifetimes (README, "How it works"), and for generic OAuth2 servers 300 s, the shortest common default
 * (Keycloak's access-token lifespan), since RFC 6749 fixes none. An `http-json-login` vendor is
 * unknown, so it is planned as short-lived as OAuth2 (its instances may live longer; set
 * `scheduleRate` then).
 */
export const plannedLifetimeSeconds = {
  [ProviderTypes.crisisworks]: 3600,
  [ProviderTypes.code42ApiClient]: 900,
  [ProviderTypes.code42LocalAccount]: 1800,
  [ProviderTypes.oauth2ClientCredentials]: 300,
  [ProviderTypes.oauth2RefreshToken]: 300,
  [ProviderTypes.httpJsonLogin]: 300,
} as const satisfies Record<ProviderType, number>;

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
