import { type PacingLimits, pacingLimits } from '../../../lambdas/refresher/pacing.ts';
import { buildFleet, type LifetimeMix } from './fleetMix.ts';
import { type FleetSimulation, simulateFleet } from './simulateFleet.ts';

/** A Parameter Store throughput setting: the refresher's pacing and the account's quotas. */
export interface ThroughputSetting {
  readonly label: string;
  readonly limits: PacingLimits;
  /** PutParameter calls per second the account admits. */
  readonly putQuota: number;
  /** GetParameter + GetParameters + GetParametersByPath calls per second the account admits. */
  readonly readQuota: number;
}

export const STANDARD: ThroughputSetting = {
  label: 'standard',
  limits: pacingLimits.standard,
  putQuota: 3,
  readQuota: 40,
};

export const HIGHER: ThroughputSetting = {
  label: 'higher',
  limits: pacingLimits.higher,
  putQuota: 10,
  readQuota: 3000,
};

/** SSM writes per refreshed instance: today's lease + token + release, and the table's token only. */
export const WRITES = { table: 1, baseline: 3 } as const;

const simulations = new Map<string, FleetSimulation>();

/**
 * Simulates `count` instances of `mix` refreshed with `writesPerRefresh` writes each; the same
 * scenario is simulated once per process (the tables and searches share them).
 */
export function simulate(
  count: number,
  mix: LifetimeMix,
  writesPerRefresh: number,
  setting: ThroughputSetting = STANDARD,
): FleetSimulation {
  const key = `${count}|${mix.label}|${writesPerRefresh}|${setting.label}`;
  const known = simulations.get(key);
  if (known !== undefined) return known;
  const simulation = simulateFleet({
    instances: buildFleet(count, mix),
    writesPerRefresh,
    writeLimit: setting.limits.putParameter,
    readLimit: setting.limits.getParameters,
  });
  simulations.set(key, simulation);
  return simulation;
}

/** `1,234 s (20m 34s)` */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  const clock =
    hours > 0 ? `${hours}h ${minutes}m` : minutes > 0 ? `${minutes}m ${rest}s` : `${rest}s`;
  return `${whole.toLocaleString('en-US')} s (${clock})`;
}

/** `12.3 %` */
export function formatShare(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}
