import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { describeError } from './describeError.ts';
import { StoreAccessError } from './errors.ts';
import { hasErrorName } from './hasErrorName.ts';
import {
  formatRefreshRecord,
  type LastResult,
  parseRefreshRecord,
  type RefreshRecord,
} from './RefreshRecord.ts';

/** How to build an {@link InstanceLock}. */
export interface InstanceLockOptions {
  readonly ssm: SSMClient;
  /** The instance the lock guards, for error messages. */
  readonly instance: string;
  /** `lockParameterName(parameterPrefix, name)`. */
  readonly parameterName: string;
  /** Identifies this run; only the owner releases the lock. */
  readonly owner: string;
  /** How long the lease lasts: longer than a login plus a publish can take. */
  readonly leaseMs: number;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

/** Result of {@link InstanceLock.acquire}. */
export type LockAttempt =
  | { readonly acquired: true }
  | {
      readonly acquired: false;
      readonly heldUntil: string;
      /** The holder already finished: its login's TOTP step has not ended yet. */
      readonly cooldown: boolean;
    };

/** What {@link InstanceLock.release} records. */
export interface LockRelease {
  /** Epoch ms from which another run may log in (now, or the end of a TOTP login's step). */
  readonly freeAt: number;
  /** This run's attempt; `undefined` keeps the last result the record held before. */
  readonly lastResult: LastResult | undefined;
}

interface StoredRecord extends RefreshRecord {
  readonly version: number;
}

const MAX_ACQUIRE_ROUNDS = 3;

/**
 * How long before its own lease ends a run still releases without reading the record first:
 * clock skew between the refresher's containers plus the release write's own latency.
 */
const RELEASE_MARGIN_MS = 5000;

/**
 * A lease on one instance's login, so two racing runs (a schedule retry and an on-demand call)
 * never log in twice for the same instance within one TOTP step, and the record of its last
 * attempt.
 *
 * The lease is an SSM String parameter holding a {@link RefreshRecord} that is never deleted:
 * - acquire: read it. When it does not exist, create it with `Overwrite=false`; SSM creates it
 *   for exactly one caller.
 * - when its `leaseUntil` is in the future, another run holds it (logging in, or in the TOTP
 *   cooldown after its login): back off.
 * - when it expired (released, or the holder crashed or timed out), take it over with
 *   `Overwrite=true`; SSM numbers versions atomically, so only the caller whose write got the
 *   version right after the one it read holds it, and every other taker backs off.
 * - release: overwrite it with `leaseUntil` = the end of the cooldown (or now) and the last
 *   result. While this run's own lease lasts nobody else can have taken it, so the record is
 *   written straight away; only when the lease may have run out is it read first, and written
 *   only when the stored owner is still this run.
 *
 * @example
 * const lock = new InstanceLock({ ssm, instance: 'idp', parameterName, owner: runId, leaseMs: 60_000, now: Date.now });
 * if ((await lock.acquire()).acquired) try { ... } finally { await lock.release({ freeAt: Date.now(), lastResult }); }
 */
export class InstanceLock {
  readonly #options: InstanceLockOptions;
  /** The last result the record held when this run took it, carried until release. */
  #previous: LastResult | undefined;
  /** Epoch ms when the lease this run acquired ends; `undefined` while it holds none. */
  #heldUntil: number | undefined;

  public constructor(options: InstanceLockOptions) {
    this.#options = options;
  }

  /**
   * Tries to take the lease.
   *
   * @throws {StoreAccessError} when SSM refuses or fails
   */
  public async acquire(): Promise<LockAttempt> {
    try {
      for (let round = 0; round < MAX_ACQUIRE_ROUNDS; round++) {
        const current = await this.#read();
        if (current === undefined) {
          const lease = this.#lease();
          if (await this.#create(lease)) return this.#acquired(lease);
          continue; // created by another run in between: read it
        }
        if (current.leaseUntil > this.#options.now()) {
          const heldUntil = new Date(current.leaseUntil).toISOString();
          return { acquired: false, heldUntil, cooldown: current.released };
        }
        this.#previous = current.lastResult;
        const lease = this.#lease();
        const version = await this.#write(lease, true);
        if (version === current.version + 1) return this.#acquired(lease);
        return {
          acquired: false,
          heldUntil: 'unknown (another run took over the expired lease)',
          cooldown: false,
        };
      }
      return {
        acquired: false,
        heldUntil: 'unknown (the lease kept changing hands)',
        cooldown: false,
      };
    } catch (error) {
      throw this.#wrap('cannot take the login lease', error);
    }
  }

  /**
   * Records the attempt and frees the lease at `freeAt`, when this run still owns it. Never
   * throws: a lease that cannot be released simply expires.
   *
   * @returns the reason when the lease could not be released
   */
  public async release(release: LockRelease): Promise<string | undefined> {
    const { owner, now } = this.#options;
    try {
      if (!this.#surelyHeld()) {
        const current = await this.#read();
        if (current?.owner !== owner) return undefined;
      }
      const lastResult = release.lastResult ?? this.#previous;
      await this.#write(
        {
          owner,
          leaseUntil: Math.max(release.freeAt, now()),
          released: true,
          ...(lastResult === undefined ? {} : { lastResult }),
        },
        true,
      );
      this.#heldUntil = undefined;
      return undefined;
    } catch (error) {
      return this.#wrap('cannot release the login lease', error).message;
    }
  }

  /** Whether this run's lease lasts long enough that no other run can have taken it over. */
  #surelyHeld(): boolean {
    return (
      this.#heldUntil !== undefined && this.#options.now() < this.#heldUntil - RELEASE_MARGIN_MS
    );
  }

  #lease(): RefreshRecord {
    const { owner, leaseMs, now } = this.#options;
    const previous = this.#previous;
    return {
      owner,
      leaseUntil: now() + leaseMs,
      released: false,
      ...(previous === undefined ? {} : { lastResult: previous }),
    };
  }

  #acquired(lease: RefreshRecord): LockAttempt {
    this.#heldUntil = lease.leaseUntil;
    return { acquired: true };
  }

  async #create(lease: RefreshRecord): Promise<boolean> {
    try {
      await this.#write(lease, false);
      return true;
    } catch (error) {
      if (hasErrorName(error, 'ParameterAlreadyExists')) return false;
      throw error;
    }
  }

  async #write(record: RefreshRecord, overwrite: boolean): Promise<number | undefined> {
    const { parameterName, ssm } = this.#options;
    const output = await ssm.send(
      new PutParameterCommand({
        Name: parameterName,
        Value: formatRefreshRecord(record),
        Type: 'String',
        Overwrite: overwrite,
      }),
    );
    return output.Version;
  }

  async #read(): Promise<StoredRecord | undefined> {
    try {
      const output = await this.#options.ssm.send(
        new GetParameterCommand({ Name: this.#options.parameterName }),
      );
      return {
        ...parseRefreshRecord(output.Parameter?.Value),
        version: output.Parameter?.Version ?? 0,
      };
    } catch (error) {
      if (hasErrorName(error, 'ParameterNotFound')) return undefined;
      throw error;
    }
  }

  #wrap(what: string, error: unknown): StoreAccessError {
    return new StoreAccessError(
      this.#options.instance,
      `${what} ${this.#options.parameterName}: ${describeError(error)}`,
      { cause: error },
    );
  }
}
