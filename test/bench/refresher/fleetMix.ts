import { ProviderTypes } from '../../../lambdas/config/index.ts';
import { providers } from '../../../lambdas/providers/index.ts';
import type { FleetInstance } from './simulateFleet.ts';

/** A fleet's make-up: equal shares of instances with these token lifetimes. */
export interface LifetimeMix {
  readonly label: string;
  readonly lifetimesSeconds: readonly number[];
}

const lifetimeOf = (type: keyof typeof providers) => providers[type].documentedLifetimeSeconds;
const code42AndCrisisworks = [
  lifetimeOf(ProviderTypes.code42ApiClient),
  lifetimeOf(ProviderTypes.code42LocalAccount),
  lifetimeOf(ProviderTypes.crisisworks),
];

/**
 * The four provider types in equal shares at their documented lifetimes (OAuth2 5 min, Code42 API
 * client 15 min, Code42 local account 30 min, Crisisworks 1 h), and the same with OAuth2 servers
 * that issue 15 min tokens.
 */
export const LIFETIME_MIXES: readonly LifetimeMix[] = [
  {
    label: 'OAuth2 5m + C42 15m, 30m + CW 1h',
    lifetimesSeconds: [lifetimeOf(ProviderTypes.oauth2ClientCredentials), ...code42AndCrisisworks],
  },
  { label: 'OAuth2 15m + C42 15m, 30m + CW 1h', lifetimesSeconds: [900, ...code42AndCrisisworks] },
];

/** `count` instances, the mix's lifetimes taken in turn. */
export function buildFleet(count: number, mix: LifetimeMix): FleetInstance[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `i${String(index).padStart(5, '0')}`,
    lifetimeSeconds: mix.lifetimesSeconds[index % mix.lifetimesSeconds.length] ?? 3600,
  }));
}
