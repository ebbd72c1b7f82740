import type { Logger } from '@aws-lambda-powertools/logger';
import type { InstanceConfig } from '../config/index.ts';
import {
  lockParameterName,
  parseEnvelope,
  type TokenEnvelope,
  tokenParameterName,
} from '../envelope/index.ts';
import type { InstanceResult } from './contract.ts';
import { describeError } from './describeError.ts';
import { dueReason } from './dueReason.ts';
import { emitInstanceMetrics } from './emitInstanceMetrics.ts';
import { InvalidEnvelopeError, type StoreAccessError } from './errors.ts';
import { InstanceLock } from './InstanceLock.ts';
import { loginCooldownEnd } from './loginCooldownEnd.ts';
import { publishEnvelope } from './publishEnvelope.ts';
import { lastResultOf } from './RefreshRecord.ts';
import type { RefreshRun } from './RefreshRun.ts';
import { readCredentials } from './readCredentials.ts';
import { readStoredToken } from './readStoredToken.ts';
import type { StoredToken } from './StoredToken.ts';

/** What the steps of one instance's refresh report back before metrics and logging. */
interface Outcome {
  readonly result: InstanceResult;
  readonly loginLatencyMs?: number;
}

/**
 * Refreshes one instance when it is due (judged on `initial`, what the run read at its start):
 * takes its login lease, reads its credentials, logs in, and publishes the new envelope unless the
 * stored one expires later; the release records a `refreshed` or `failed` result in the lease's
 * refresh record and, after a TOTP login, holds the lease until the login's step has ended. Never
 * rejects: every failure becomes a `failed` result naming the reason, and the stored token is
 * left as it was.
 */
export async function refreshInstance(
  instance: InstanceConfig,
  run: RefreshRun,
  initial: StoredToken | StoreAccessError,
): Promise<InstanceResult> {
  const logger = run.logger.createChild({ persistentKeys: { instance: instance.name } });
  const state: { stored?: StoredToken } = {};
  let outcome: Outcome;
  try {
    if (initial instanceof Error) throw initial;
    state.stored = initial;
    outcome = await attempt(instance, run, initial, state, logger);
  } catch (error) {
    outcome = { result: { name: instance.name, outcome: 'failed', reason: describeError(error) } };
  }
  const { result, loginLatencyMs } = outcome;
  const expiresAt = result.expiresAt ?? storedExpiry(state.stored);
  const final: InstanceResult = expiresAt === undefined ? result : { ...result, expiresAt };
  emitInstanceMetrics(run.metrics, {
    instance: instance.name,
    published: final.outcome === 'refreshed',
    failed: final.outcome === 'failed',
    ...(loginLatencyMs === undefined ? {} : { loginLatencyMs }),
    secondsToExpiry:
      expiresAt === undefined ? 0 : Math.max(0, (Date.parse(expiresAt) - run.now()) / 1000),
  });
  const details = { outcome: final.outcome, expiresAt: final.expiresAt, reason: final.reason };
  if (final.outcome === 'failed') logger.error('instance failed', details);
  else logger.info(`instance ${final.outcome}`, details);
  return final;
}

async function attempt(
  instance: InstanceConfig,
  run: RefreshRun,
  initial: StoredToken,
  state: { stored?: StoredToken },
  logger: Logger,
): Promise<Outcome> {
  const { name } = instance;
  const due = dueReason(initial, dueCheck(run));
  if (due === undefined) return skipped(name, freshReason(initial));

  const remainingMs = run.remainingTimeMs();
  if (remainingMs < run.loginTimeoutMs + run.publishReserveMs) {
    return failed(
      name,
      `not attempted: ${Math.floor(remainingMs / 1000)} s left before the invocation times out, a login needs up to ${(run.loginTimeoutMs + run.publishReserveMs) / 1000} s`,
    );
  }
  const lock = new InstanceLock({
    ssm: run.ssm,
    instance: name,
    parameterName: lockParameterName(run.parameterPrefix, name),
    owner: run.runId,
    leaseMs: run.leaseMs,
    now: run.now,
  });
  const lease = await lock.acquire();
  if (!lease.acquired) {
    return skipped(
      name,
      lease.cooldown
        ? `logged in less than a TOTP step ago (next login from ${lease.heldUntil})`
        : `another run is logging in (its lease lasts until ${lease.heldUntil})`,
    );
  }
  const trace: LoginTrace = {};
  const outcome = await underLease(instance, run, due, state, trace).catch(
    (error: unknown): Outcome => failed(name, describeError(error)),
  );
  const problem = await lock.release({
    freeAt: trace.cooldownEnd ?? run.now(),
    lastResult: lastResultOf(outcome.result, run.now()),
  });
  if (problem !== undefined) logger.warn(problem);
  return outcome;
}

/** What the lease's release needs to know of the login, filled in as it happens. */
interface LoginTrace {
  /** Set when the login call ended (whether or not it sent a code): when another run may log in. */
  cooldownEnd?: number;
}

/** The part of an attempt that holds the lease: credentials, login, publish. */
async function underLease(
  instance: InstanceConfig,
  run: RefreshRun,
  due: string,
  state: { stored?: StoredToken },
  trace: LoginTrace,
): Promise<Outcome> {
  const { name } = instance;
  const parameterName = tokenParameterName(run.parameterPrefix, name);
  const credentials = await readCredentials(run.secretsManager, run.parameterPrefix, instance);
  // Another run may have published while this one waited: decide again on what is stored now.
  const stored = await readStoredToken(run.ssm, name, parameterName);
  state.stored = stored;
  if (publishedDuringRun(stored, run)) {
    return skipped(name, 'another run published a new token during this one');
  }
  if (dueReason(stored, dueCheck(run)) === undefined) {
    return skipped(name, freshReason(stored));
  }
  const loginStarted = run.now();
  let envelope: TokenEnvelope;
  try {
    envelope = await run.login(instance, credentials, {
      signal: AbortSignal.timeout(
        Math.max(1, Math.min(run.loginTimeoutMs, run.remainingTimeMs() - run.publishReserveMs)),
      ),
      now: run.now,
    });
  } finally {
    trace.cooldownEnd = loginCooldownEnd(credentials, run.now());
  }
  const loginLatencyMs = run.now() - loginStarted;
  checkEnvelope(instance, envelope);
  if (
    stored.kind === 'present' &&
    Date.parse(stored.envelope.expiresAt) > Date.parse(envelope.expiresAt)
  ) {
    return {
      ...skipped(
        name,
        `not published: the stored token expires later (${stored.envelope.expiresAt}) than the new one (${envelope.expiresAt})`,
      ),
      loginLatencyMs,
    };
  }
  await publishEnvelope(run.ssm, parameterName, envelope, run.kmsKeyId);
  state.stored = { kind: 'present', envelope };
  return {
    result: { name, outcome: 'refreshed', expiresAt: envelope.expiresAt, reason: due },
    loginLatencyMs,
  };
}

function dueCheck(run: RefreshRun) {
  return { now: run.now(), horizonMs: run.horizonMs, force: run.force };
}

function publishedDuringRun(stored: StoredToken, run: RefreshRun): boolean {
  return stored.kind === 'present' && Date.parse(stored.envelope.issuedAt) >= run.startedAt;
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

function storedExpiry(stored: StoredToken | undefined): string | undefined {
  return stored?.kind === 'present' ? stored.envelope.expiresAt : undefined;
}

function skipped(name: string, reason: string): Outcome {
  return { result: { name, outcome: 'skipped', reason } };
}

function failed(name: string, reason: string): Outcome {
  return { result: { name, outcome: 'failed', reason } };
}
