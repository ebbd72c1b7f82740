import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Credentials, InstanceConfig } from '../config/index.ts';
import { parseEnvelope, type TokenEnvelope } from '../reader/contract/index.ts';
import { type InstanceResult, RefresherMetrics, type RefreshOutcome } from './contract.ts';
import { readCredentials, writeBackCredentials } from './credentialsSecret.ts';
import { describeError, InvalidEnvelopeError, type StoreAccessError } from './errors.ts';
import { dueReason } from './planRun.ts';
import type { RefreshRun } from './RefreshCycleOptions.ts';
import {
  type Lease,
  type LeaseAttempt,
  lastResultOf,
  loginCooldownEnd,
  type StateRecord,
  TOTP_SKEW_MARGIN_MS,
} from './StateTable.ts';
import {
  publishEnvelope,
  readStoredToken,
  type StoredToken,
  tokenParameterStorage,
} from './tokenParameter.ts';

/**
 * How far apart two clocks may be before a stored instant counts as written by a skewed one: a
 * `leaseUntil` or `issuedAt` further ahead than a correct clock could have written is not trusted.
 */
export const CLOCK_TOLERANCE_MS = 5_000;

/** Longest a forced refresh waits for a TOTP instance's step to end: one step plus the margin. */
const MAX_FORCED_WAIT_MS = 30_000 + TOTP_SKEW_MARGIN_MS + 1_000;

/**
 * Kept between the end of the calls made under a lease and the end of the lease: the release
 * write's latency and clock differences between containers.
 */
const LEASE_MARGIN_MS = 5_000;

/** What one instance's refresh learnt: its result, and what is stored for it afterwards. */
interface Attempt {
  readonly result: InstanceResult;
  /** The stored token after the attempt, when known. */
  readonly stored?: StoredToken;
  /** Milliseconds the login took, when one was made. */
  readonly loginLatencyMs?: number;
}

/** What the part of an attempt under the lease learnt; `freeAt` is when the lease may end. */
interface LeasedAttempt extends Attempt {
  readonly freeAt?: number;
}

/**
 * Refreshes one instance when it is due (judged on `initial`, what the run read at its start):
 * takes its login lease in the state table, reads its credentials, logs in, and publishes the new
 * envelope after checking (fencing) that it still holds the lease; a refresh token the login
 * rotated is stored in the instance's secret first. The release records the
 * result and, after a TOTP login, holds the lease until the login's step has ended. Never rejects:
 * every failure becomes a `failed` result naming the reason, and the stored token is left as it
 * was. An instance whose secret has no value yet is `pending`; one the run has no time left for
 * at the paced rate is `deferred`.
 */
export async function refreshInstance(
  instance: InstanceConfig,
  run: RefreshRun,
  initial: StoredToken | StoreAccessError,
): Promise<InstanceResult> {
  const logger = run.logger.createChild({ persistentKeys: { instance: instance.name } });
  const attempt: Attempt =
    initial instanceof Error
      ? { result: failed(instance.name, describeError(initial)) }
      : await attemptRefresh(instance, run, initial).catch(
          (error: unknown): Attempt => ({ result: failed(instance.name, describeError(error)) }),
        );
  const stored = attempt.stored ?? (initial instanceof Error ? undefined : initial);
  const expiresAt =
    attempt.result.expiresAt ??
    (stored?.kind === 'present' ? stored.envelope.expiresAt : undefined);
  const result: InstanceResult =
    expiresAt === undefined ? attempt.result : { ...attempt.result, expiresAt };
  emitInstanceMetrics(run.metrics, instance.name, result, run.now(), attempt.loginLatencyMs);
  const details = { outcome: result.outcome, expiresAt: result.expiresAt, reason: result.reason };
  if (result.outcome === 'failed') logger.error('instance failed', details);
  else logger.info(`instance ${result.outcome}`, details);
  return result;
}

async function attemptRefresh(
  instance: InstanceConfig,
  run: RefreshRun,
  initial: StoredToken,
): Promise<Attempt> {
  const { name } = instance;
  const due = dueReason(initial, dueCheck(run));
  if (due === undefined) return { result: skipped(name, freshReason(initial)) };

  const remainingMs = run.remainingTimeMs();
  const neededMs = attemptBudgetMs(run);
  if (remainingMs < neededMs) {
    return {
      result: outcome(
        name,
        'deferred',
        `not attempted: ${Math.floor(remainingMs / 1000)} s left before the invocation times out, a login and its paced publish need up to ${Math.ceil(neededMs / 1000)} s; the next run takes it`,
      ),
    };
  }
  const attempt = await takeLease(name, run);
  if (!attempt.acquired) {
    const until = new Date(attempt.heldUntil).toISOString();
    return {
      result: skipped(
        name,
        attempt.cooldown
          ? `logged in less than a TOTP step ago (next login from ${until})`
          : `another run is logging in (its lease lasts until ${until})`,
      ),
    };
  }
  const recent = recentRefresh(attempt.previous, run);
  const leased =
    recent === undefined
      ? await refreshUnderLease(instance, run, due, attempt.lease)
      : { result: skipped(name, recent) };
  const released = await attempt.lease
    .release(
      { freeAt: leased.freeAt ?? run.now(), lastResult: lastResultOf(leased.result, run.now()) },
      AbortSignal.timeout(run.publishReserveMs),
    )
    .catch((error: unknown) => {
      run.logger.warn('cannot release the login lease; it expires by itself', {
        instance: name,
        reason: describeError(error),
      });
      return true;
    });
  if (!released) {
    run.logger.warn('another run took the lease over before the release; its record was kept', {
      instance: name,
    });
  }
  return leased;
}

/**
 * Takes the instance's lease. A forced run that finds a TOTP instance in its cooldown (logged in
 * less than a step ago) waits for the step to end, when it has the time, and tries once more: a
 * forced refresh logs in rather than skipping.
 */
async function takeLease(name: string, run: RefreshRun): Promise<LeaseAttempt> {
  const plausibleMs = run.leaseMs + MAX_FORCED_WAIT_MS + CLOCK_TOLERANCE_MS;
  const acquire = () => run.stateTable.acquire(name, run.runId, run.leaseMs, plausibleMs);
  const attempt = await acquire();
  if (attempt.acquired || !run.force || !attempt.cooldown) return attempt;
  const waitMs = attempt.heldUntil - run.now();
  if (waitMs > MAX_FORCED_WAIT_MS || run.remainingTimeMs() - waitMs < attemptBudgetMs(run)) {
    return attempt;
  }
  run.logger.info('forced: waiting for the TOTP step of the last login to end', {
    instance: name,
    waitMs,
  });
  await run.sleep(Math.max(0, waitMs));
  return acquire();
}

/**
 * The part of an attempt that holds the lease: credentials, a second look at what is stored,
 * login, then {@link storeAndPublish}. Every AWS call gets a deadline inside the lease. Never
 * rejects.
 */
async function refreshUnderLease(
  instance: InstanceConfig,
  run: RefreshRun,
  due: string,
  lease: Lease,
): Promise<LeasedAttempt> {
  const { name } = instance;
  const leaseDeadline = run.now() + run.leaseMs - LEASE_MARGIN_MS;
  const deadline = () => AbortSignal.timeout(Math.max(1, leaseDeadline - run.now()));
  const inputs = await readInputs(instance, run, deadline);
  if ('result' in inputs) return inputs;
  const { credentials, stored } = inputs;
  if (publishedDuringRun(stored, run)) {
    return { result: skipped(name, 'another run published a new token during this one'), stored };
  }
  if (dueReason(stored, dueCheck(run)) === undefined) {
    return { result: skipped(name, freshReason(stored)), stored };
  }
  const login = await logIn(instance, run, credentials, leaseDeadline);
  const learnt = {
    stored,
    freeAt: loginCooldownEnd(credentials, run.now()),
    loginLatencyMs: login.latencyMs,
  };
  const writeBack = rotatedRefreshToken(credentials, login.rotated);
  if (login.envelope === undefined && writeBack === undefined) {
    return { result: failed(name, login.failure), ...learnt };
  }
  const outcome = await storeAndPublish(instance, run, { lease, deadline, login, writeBack, due });
  return { ...learnt, ...outcome };
}

/** The instance's credentials and its stored token, read under the lease, or why not. */
async function readInputs(
  instance: InstanceConfig,
  run: RefreshRun,
  deadline: () => AbortSignal,
): Promise<{ readonly credentials: Credentials; readonly stored: StoredToken } | Attempt> {
  const { name } = instance;
  try {
    const read = await readCredentials(run.secretsManager, run.parameterPrefix, instance, {
      abortSignal: deadline(),
    });
    if (read.kind === 'pending') return { result: outcome(name, 'pending', read.reason) };
    // Another run may have published while this one waited: decide again on what is stored now.
    const stored = await readStoredToken(run.ssm, run.parameterPrefix, name, {
      abortSignal: deadline(),
    });
    return { credentials: read.credentials, stored };
  } catch (error) {
    return { result: failed(name, describeError(error)) };
  }
}

/** What one login gave: a checked envelope or why not, and the credentials it rotated to. */
type LoginAttempt = (
  | { readonly envelope: TokenEnvelope; readonly failure?: undefined }
  | { readonly envelope?: undefined; readonly failure: string }
) & { readonly rotated: Credentials | undefined; readonly latencyMs: number };

/** Logs in once, within {@link loginDeadline}, and checks the envelope the provider built. */
async function logIn(
  instance: InstanceConfig,
  run: RefreshRun,
  credentials: Credentials,
  leaseDeadline: number,
): Promise<LoginAttempt> {
  const started = run.now();
  const limit = loginDeadline(run, leaseDeadline);
  let rotated: Credentials | undefined;
  try {
    const envelope = await run.login(instance, credentials, {
      signal: limit.signal,
      now: run.now,
      onNotice: (message) => run.logger.warn(message, { instance: instance.name }),
      onCredentialsRotated: (next) => {
        rotated = next;
      },
    });
    checkEnvelope(instance, envelope);
    return { envelope, rotated, latencyMs: run.now() - started };
  } catch (error) {
    return { failure: describeError(error), rotated, latencyMs: run.now() - started };
  } finally {
    limit.dispose();
  }
}

/** What {@link storeAndPublish} needs from the steps before it. */
interface Publication {
  readonly lease: Lease;
  readonly deadline: () => AbortSignal;
  readonly login: LoginAttempt;
  /** The rotated credentials to store first, when the login replaced the refresh token. */
  readonly writeBack: (Credentials & { readonly refreshToken: string }) | undefined;
  /** Why the instance was due: the reason of a `refreshed` result. */
  readonly due: string;
}

/**
 * After a login: fences (checks the lease is still this run's), stores a rotated refresh token in
 * the instance's secret, then publishes the envelope. A rotated refresh token that cannot be
 * stored fails the instance with a reason that says to re-authorize; the new token is still
 * published, since it works for its lifetime while the stored refresh token no longer does.
 */
async function storeAndPublish(
  instance: InstanceConfig,
  run: RefreshRun,
  { lease, deadline, login, writeBack, due }: Publication,
): Promise<Pick<Attempt, 'result' | 'stored'>> {
  const { name } = instance;
  try {
    const publishWaitMs = run.publishWaitMs();
    const writeBackReserveMs = writeBack === undefined ? 0 : run.publishReserveMs;
    const fenceUntil = run.now() + writeBackReserveMs + run.publishReserveMs + publishWaitMs;
    if (!(await lease.fence(fenceUntil, deadline()))) {
      const outran =
        'another run took the login lease over while this one logged in (the attempt outran its lease)';
      return writeBack === undefined
        ? { result: skipped(name, `not published: ${outran}`) }
        : { result: failed(name, rotationLost(instance, outran)) };
    }
    const storeFailure =
      writeBack === undefined
        ? undefined
        : await writeBackCredentials(run.secretsManager, run.parameterPrefix, instance, writeBack, {
            abortSignal: AbortSignal.timeout(writeBackReserveMs),
            sleep: run.sleep,
          }).then(
            () => undefined,
            (error: unknown) => rotationLost(instance, describeError(error)),
          );
    const { envelope } = login;
    if (envelope === undefined) {
      const stored = storeFailure ?? 'the rotated refresh token was stored';
      return { result: failed(name, `${login.failure}; ${stored}`) };
    }
    // Published even when the write-back failed: the token works for its lifetime, while the
    // failed result, its metric and the record say loudly that the instance needs re-authorizing.
    await publishEnvelope(run.ssm, run.parameterPrefix, envelope, {
      ...tokenParameterStorage(instance, run.parameterPrefix, run.kmsKeyId),
      abortSignal: AbortSignal.timeout(run.publishReserveMs + publishWaitMs),
    });
    const published = { kind: 'present', envelope } as const;
    const result: InstanceResult =
      storeFailure === undefined
        ? { name, outcome: 'refreshed', expiresAt: envelope.expiresAt, reason: due }
        : { ...failed(name, storeFailure), expiresAt: envelope.expiresAt };
    return { result, stored: published };
  } catch (error) {
    return { result: failed(name, describeError(error)) };
  }
}

/**
 * For an on-demand run: why not to log in, when the instance was refreshed less than the
 * on-demand cooldown ago (judged on the record as it was when this run took the lease, so racing
 * requests from many readers make one login).
 */
function recentRefresh(previous: StateRecord, run: RefreshRun): string | undefined {
  const last = previous.lastResult;
  if (run.onDemandCooldownMs === 0 || last?.outcome !== 'refreshed') return undefined;
  const ageMs = run.now() - Date.parse(last.at);
  if (ageMs < 0 || ageMs >= run.onDemandCooldownMs) return undefined;
  return `refreshed ${Math.round(ageMs / 1000)} s ago: an on-demand refresh logs in at most once per ${run.onDemandCooldownMs / 1000} s`;
}

/** The rotated credentials to store, when the login replaced the refresh token. */
function rotatedRefreshToken(
  before: Credentials,
  after: Credentials | undefined,
): (Credentials & { readonly refreshToken: string }) | undefined {
  if (after === undefined || !('refreshToken' in after) || typeof after.refreshToken !== 'string') {
    return undefined;
  }
  if ('refreshToken' in before && before.refreshToken === after.refreshToken) return undefined;
  return after as Credentials & { readonly refreshToken: string };
}

/** The reason of a rotated refresh token that could not be stored: what happened and what to do. */
function rotationLost(instance: InstanceConfig, why: string): string {
  return `the refresh token rotated but could not be stored (${why}); the stored one no longer works: re-authorize with "token-broker authorize ${instance.name} --config FILE"`;
}

/**
 * The signal that ends a login: at `loginTimeoutMs`, or earlier when the lease or the invocation
 * would end first (keeping the publish reserve), with a reason that says which limit and how long.
 * `dispose` clears its timer once the login has ended.
 */
function loginDeadline(
  run: RefreshRun,
  leaseDeadline: number,
): { readonly signal: AbortSignal; dispose(): void } {
  const limits: [number, string][] = [
    [run.loginTimeoutMs, 'loginTimeoutMs'],
    [leaseDeadline - run.now() - run.publishReserveMs, 'the login lease'],
    [run.remainingTimeMs() - run.publishReserveMs, "the invocation's remaining time"],
  ];
  const [ms, limit] = limits.reduce((least, next) => (next[0] < least[0] ? next : least));
  const budgetMs = Math.max(1, Math.floor(ms));
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new DOMException(`the login took longer than ${budgetMs} ms (${limit})`, 'TimeoutError'),
    );
  }, budgetMs);
  return { signal: controller.signal, dispose: () => clearTimeout(timer) };
}

/** The longest one attempt can take: a login, then a publish at the paced rate. */
function attemptBudgetMs(run: RefreshRun): number {
  return run.loginTimeoutMs + run.publishReserveMs + run.publishWaitMs();
}

function dueCheck(run: RefreshRun) {
  return { now: run.now(), horizonMs: run.horizonMs, force: run.force };
}

/**
 * Whether another run published after this one started: a token from a login that started later
 * than this run's is never replaced by this run's ("older over newer" is judged by when logins
 * started, never by expiry, so a bogus lifetime cannot pin a token). A stored `issuedAt` ahead of
 * this clock was written by a skewed one and is not trusted.
 */
function publishedDuringRun(stored: StoredToken, run: RefreshRun): boolean {
  if (stored.kind !== 'present') return false;
  const issuedAt = Date.parse(stored.envelope.issuedAt);
  return issuedAt >= run.startedAt && issuedAt <= run.now() + CLOCK_TOLERANCE_MS;
}

function checkEnvelope(instance: InstanceConfig, envelope: TokenEnvelope): void {
  const parsed = parseEnvelope(envelope);
  if (!parsed.ok) throw new InvalidEnvelopeError(instance.name, parsed.reason);
  if (envelope.name !== instance.name || envelope.provider !== instance.type) {
    throw new InvalidEnvelopeError(
      instance.name,
      `it is for ${envelope.provider} instance "${envelope.name}"`,
    );
  }
}

function freshReason(stored: StoredToken): string {
  return stored.kind === 'present' ? `fresh: refresh due at ${stored.envelope.refreshAt}` : 'fresh';
}

function outcome(name: string, kind: RefreshOutcome, reason: string): InstanceResult {
  return { name, outcome: kind, reason };
}

function skipped(name: string, reason: string): InstanceResult {
  return outcome(name, 'skipped', reason);
}

function failed(name: string, reason: string): InstanceResult {
  return outcome(name, 'failed', reason);
}

/**
 * Emits one instance's metrics with the `Instance` dimension: its outcome's count (published,
 * failed, deferred, pending), the login latency when it logged in, and the seconds until the
 * stored token expires (0 when none is stored or it expired). Each is a Powertools single metric
 * (its own EMF record, written straight away), since a single metric drops its dimensions once it
 * publishes.
 */
function emitInstanceMetrics(
  metrics: Metrics | undefined,
  instance: string,
  result: InstanceResult,
  now: number,
  loginLatencyMs: number | undefined,
): void {
  if (metrics === undefined) return;
  const emit = (
    name: string,
    unit: (typeof MetricUnit)[keyof typeof MetricUnit],
    value: number,
  ) => {
    const single = metrics.singleMetric();
    single.addDimension(RefresherMetrics.instanceDimension, instance);
    single.addMetric(name, unit, value);
  };
  const counted = {
    refreshed: RefresherMetrics.refreshSucceeded,
    failed: RefresherMetrics.refreshFailed,
    deferred: RefresherMetrics.refreshDeferred,
    pending: RefresherMetrics.credentialsPending,
    skipped: undefined,
  }[result.outcome];
  if (counted !== undefined) emit(counted, MetricUnit.Count, 1);
  if (loginLatencyMs !== undefined) {
    emit(RefresherMetrics.loginLatency, MetricUnit.Milliseconds, loginLatencyMs);
  }
  const expiresAt = result.expiresAt === undefined ? now : Date.parse(result.expiresAt);
  emit(RefresherMetrics.secondsToExpiry, MetricUnit.Seconds, Math.max(0, (expiresAt - now) / 1000));
}
