import { randomUUID } from 'node:crypto';
import { type Credentials, describeThrown } from '../../lambdas/config/index.ts';
import { createRefresherClients, type Lease, StateTable } from '../../lambdas/refresher/index.ts';
import { loginCooldownEnd } from '../../lambdas/refresher/StateTable.ts';

/** How long the CLI's lease lasts: a login (a TOTP one may wait 30 s for its code) and a margin. */
const LEASE_MS = 60_000;
/** A stored lease further ahead than this is from a skewed clock (as the refresher judges it). */
const PLAUSIBLE_MS = LEASE_MS + 60_000;
/** The longest the CLI waits for another login's TOTP step: one step and the margin. */
const MAX_WAIT_MS = 32_000;

/** Another login holds the instance's lease for longer than one TOTP step. */
export class LeaseHeldError extends Error {
  public override readonly name = 'LeaseHeldError';
}

/** What {@link takeSharedTotpLease} found. */
export type SharedTotpLease =
  /** The lease is held: release it after the login with {@link releaseSharedTotpLease}. */
  | { readonly kind: 'held'; readonly lease: Lease }
  /** No TOTP seed, or the table could not be reached: the local step file is all there is. */
  | { readonly kind: 'unshared'; readonly reason?: string };

/**
 * Takes the instance's login lease in the broker's state table for a `token` login with a TOTP
 * seed, as the refresher does, so that `token` and a refresh never send the same code: when the
 * refresher (or another `token`) logged in less than a step ago, it waits for the step to end.
 * Best effort: when AWS or the table cannot be reached, the login goes ahead with the local step
 * file only, and `reason` says why (nothing is said when no AWS region is configured at all).
 *
 * @param tableName - the configuration's `stateTable`
 * @param sleep - waits, announcing it (the CLI's progress)
 * @throws {LeaseHeldError} when another login holds the lease for longer than one TOTP step
 */
export async function takeSharedTotpLease(
  tableName: string,
  instance: string,
  credentials: Credentials,
  sleep: (ms: number) => Promise<void>,
): Promise<SharedTotpLease> {
  if (!('totpSecret' in credentials) || credentials.totpSecret === undefined) {
    return { kind: 'unshared' };
  }
  const { dynamodb } = createRefresherClients({
    pacing: false,
    maxAttempts: 1,
    connectionTimeoutMs: 2_000,
    requestTimeoutMs: 3_000,
  });
  const table = new StateTable({ dynamodb, tableName, now: Date.now });
  const owner = `cli-token-${randomUUID()}`;
  try {
    let attempt = await table.acquire(instance, owner, LEASE_MS, PLAUSIBLE_MS);
    if (!attempt.acquired) {
      const waitMs = attempt.heldUntil - Date.now();
      if (!attempt.cooldown || waitMs > MAX_WAIT_MS) {
        throw new LeaseHeldError(
          `instance "${instance}": another login holds its lease until ${new Date(attempt.heldUntil).toISOString()}; try again then`,
        );
      }
      await sleep(Math.max(0, waitMs));
      attempt = await table.acquire(instance, owner, LEASE_MS, PLAUSIBLE_MS);
      if (!attempt.acquired) {
        throw new LeaseHeldError(`instance "${instance}": another login took its lease; try again`);
      }
    }
    return { kind: 'held', lease: attempt.lease };
  } catch (error) {
    if (error instanceof LeaseHeldError) throw error;
    // No AWS region anywhere: this machine does not use AWS, so there is nothing to say.
    if ((error as { cause?: Error }).cause?.message === 'Region is missing') {
      return { kind: 'unshared' };
    }
    return { kind: 'unshared', reason: describeThrown(error) };
  }
}

/**
 * Frees a lease taken by {@link takeSharedTotpLease} at the end of the login's TOTP step, so no
 * refresh sends that step's code again. Keeps the refresher's last result. Never throws.
 */
export async function releaseSharedTotpLease(
  shared: SharedTotpLease,
  credentials: Credentials,
): Promise<void> {
  if (shared.kind !== 'held') return;
  await shared.lease
    .release({ freeAt: loginCooldownEnd(credentials, Date.now()), lastResult: undefined })
    .catch(() => undefined);
}
