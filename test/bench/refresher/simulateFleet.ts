import { refreshFraction } from '../../../lambdas/providers/buildEnvelope.ts';
import type { RateLimit } from '../../../lambdas/refresher/pacing.ts';

/** One provider instance of the simulated fleet. */
export interface FleetInstance {
  readonly name: string;
  /** The token's lifetime from login to expiry. */
  readonly lifetimeSeconds: number;
}

/** What the simulated refresher does and how fast it may call SSM. */
export interface FleetSimulationOptions {
  readonly instances: readonly FleetInstance[];
  /** SSM PutParameter calls per refreshed instance: 1 (token only) or 3 (lease, token, release). */
  readonly writesPerRefresh: number;
  /** The refresher's PutParameter pacing. */
  readonly writeLimit: RateLimit;
  /** The refresher's pacing of SSM reads: each run reads every envelope, 10 per GetParameters. */
  readonly readLimit: RateLimit;
  /** Seconds between scheduled runs. Default 60. */
  readonly scheduleSeconds?: number;
  /** Extra seconds of the due horizon (refreshAt before the next run plus this). Default 60. */
  readonly marginSeconds?: number;
  /** The longest a run may last (Lambda's maximum timeout). Default 900. */
  readonly runSeconds?: number;
  /** A token counts as lapsed once it has less than this left (the readers' default). Default 60. */
  readonly minValiditySeconds?: number;
  /** Seconds measured once every instance has a token and one longest lifetime has passed. Default 7,200. */
  readonly measureSeconds?: number;
}

/** Figures of one simulation. */
export interface FleetSimulation {
  /** When the last instance got its first token, in seconds from the first run's start. */
  readonly firstDeploySeconds: number;
  /** Runs until then. */
  readonly firstDeployRuns: number;
  /** Instances the first run (all missing) published. */
  readonly firstRunPublished: number;
  /** Totals over the whole simulation. */
  readonly publishes: number;
  readonly writes: number;
  /** The steady window, after the first deploy and one longest lifetime. */
  readonly steady: {
    readonly seconds: number;
    readonly publishes: number;
    readonly writes: number;
    readonly reads: number;
    /** Instances that at some moment of the window had no token with the minimum validity left. */
    readonly lapsed: number;
  };
}

/** Sums of fractions of a second drift by far less than this. */
const TIME_EPSILON = 1e-6;

/** A token bucket on the simulation's clock, in seconds. */
class SimBucket {
  readonly #limit: RateLimit;
  #tokens: number;
  #at = 0;

  public constructor(limit: RateLimit) {
    this.#limit = limit;
    this.#tokens = limit.burst;
  }

  /**
   * When each of `count` calls asked for at `time` would be sent, one after another; the calls
   * are made only when the last is sent by `deadline`, otherwise `undefined` and nothing changes.
   */
  public take(time: number, count: number, deadline = Number.POSITIVE_INFINITY) {
    const { ratePerSecond, burst } = this.#limit;
    let at = Math.max(time, this.#at);
    let tokens = Math.min(burst, this.#tokens + (at - this.#at) * ratePerSecond);
    const sent: number[] = [];
    for (let call = 0; call < count; call += 1) {
      const wait = tokens >= 1 ? 0 : (1 - tokens) / ratePerSecond;
      at += wait;
      tokens = Math.max(0, tokens + wait * ratePerSecond - 1);
      sent.push(at);
    }
    if (at > deadline + TIME_EPSILON) return undefined;
    this.#tokens = tokens;
    this.#at = at;
    return sent;
  }
}

interface TokenState {
  readonly instance: FleetInstance;
  /** Simulated seconds; `undefined` while no token was ever published. */
  expiresAt?: number;
  refreshAt?: number;
}

/** The simulation's epoch, for the refresh-window digest of each login. */
const EPOCH_MS = Date.parse('2026-01-05T00:00:00Z');

/**
 * A discrete-event simulation of the refresher on a fleet, in simulated time. Runs start on the
 * schedule, one at a time (a run still busy at a tick delays the next run to the following tick);
 * each run reads every envelope (GetParameters of 10, paced), takes the instances due as the
 * refresher does (missing, expired, or `refreshAt` before the next run plus the margin), most
 * urgent first (missing, then earliest expiry), and publishes them at the paced write rate while
 * the writes of an instance still fit in the run's time; the rest wait for the next run. A login
 * takes no time: the paced writes are the bottleneck. `refreshAt` is set exactly as the refresher
 * sets it (`refreshFraction` of the lifetime).
 *
 * @example
 * simulateFleet({ instances, writesPerRefresh: 1, writeLimit: { ratePerSecond: 2, burst: 2 },
 *   readLimit: { ratePerSecond: 10, burst: 10 } }).steady.lapsed; // => 0 when sustainable
 */
export function simulateFleet(options: FleetSimulationOptions): FleetSimulation {
  const scheduleSeconds = options.scheduleSeconds ?? 60;
  const horizonSeconds = scheduleSeconds + (options.marginSeconds ?? 60);
  const runSeconds = options.runSeconds ?? 900;
  const minValidity = options.minValiditySeconds ?? 60;
  const measureSeconds = options.measureSeconds ?? 7200;
  const longestLifetime = Math.max(...options.instances.map((i) => i.lifetimeSeconds));
  const states: TokenState[] = options.instances.map((instance) => ({ instance }));
  const writes = new SimBucket(options.writeLimit);
  const reads = new SimBucket(options.readLimit);
  const readsPerRun = Math.ceil(states.length / 10);

  const totals = { publishes: 0, writes: 0 };
  const window = { from: Number.POSITIVE_INFINITY, to: Number.POSITIVE_INFINITY };
  const steady = { publishes: 0, writes: 0, reads: 0 };
  const lapsedInWindow = new Set<string>();
  let missing = states.length;
  let firstDeploySeconds = Number.NaN;
  let firstDeployRuns = 0;
  let firstRunPublished = 0;
  let runs = 0;
  let start = 0;
  const inWindow = (time: number) => time >= window.from && time < window.to;
  /** From when a token has less than the minimum validity left. */
  const lapsesAt = (state: TokenState) => (state.expiresAt ?? 0) - minValidity;
  /** A lapse from `lapsesAt` to `until` that overlaps the window counts once per instance. */
  const noteLapse = (state: TokenState, until: number) => {
    if (lapsesAt(state) < Math.min(until, window.to) && until > window.from) {
      lapsedInWindow.add(state.instance.name);
    }
  };

  while (start < window.to) {
    runs += 1;
    let cursor = reads.take(start, readsPerRun)?.at(-1) ?? start;
    if (inWindow(cursor)) steady.reads += readsPerRun;
    const due = states
      .filter(
        (state) =>
          state.expiresAt === undefined ||
          state.expiresAt <= start ||
          (state.refreshAt ?? 0) <= start + horizonSeconds,
      )
      .sort((a, b) => (a.expiresAt ?? -1) - (b.expiresAt ?? -1));
    let published = 0;
    for (const state of due) {
      const sent = writes.take(cursor, options.writesPerRefresh, start + runSeconds);
      if (sent === undefined) break;
      cursor = sent.at(-1) ?? cursor;
      // the token is the middle write of lease, token and release; the only one otherwise
      const publishedAt = sent[Math.floor((sent.length - 1) / 2)] ?? cursor;
      totals.publishes += 1;
      totals.writes += sent.length;
      if (inWindow(publishedAt)) {
        steady.publishes += 1;
        steady.writes += sent.length;
      }
      if (state.expiresAt === undefined) {
        missing -= 1;
        if (missing === 0) firstDeploySeconds = publishedAt;
      } else {
        noteLapse(state, publishedAt);
      }
      const lifetime = state.instance.lifetimeSeconds;
      state.expiresAt = publishedAt + lifetime;
      state.refreshAt =
        publishedAt +
        lifetime * refreshFraction(state.instance.name, EPOCH_MS + Math.round(publishedAt * 1000));
      published += 1;
    }
    if (runs === 1) firstRunPublished = published;
    if (missing === 0 && firstDeployRuns === 0) {
      firstDeployRuns = runs;
      window.from = cursor + longestLifetime;
      window.to = window.from + measureSeconds;
    }
    start = Math.max(
      start + scheduleSeconds,
      Math.ceil((cursor - TIME_EPSILON) / scheduleSeconds) * scheduleSeconds,
    );
  }
  for (const state of states) noteLapse(state, window.to);
  return {
    firstDeploySeconds,
    firstDeployRuns,
    firstRunPublished,
    publishes: totals.publishes,
    writes: totals.writes,
    steady: { seconds: measureSeconds, ...steady, lapsed: lapsedInWindow.size },
  };
}
