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
 * - release: only when the stored owner is still this run, overwrite it with `leaseUntil` = the
 *   end of the cooldown (or now) and the last result.
 *
 * @example
 * const lock = new InstanceLock({ ssm, instance: 'idp', parameterName, owner: runId, leaseMs: 60_000, now: Date.now });
 * if ((await lock.acquire()).acquired) try { ... } finally { await lock.release({ freeAt: Date.now(), lastResult }); }
 */
export class InstanceLock {
  readonly #options: InstanceLockOptions;
  /** The last result the record held when this run took it, carried until release. */
  #previous: LastResult | undefined;

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
          if (await this.#create()) return { acquired: true };
          continue; // created by another run in between: read it
        }
        if (current.leaseUntil > this.#options.now()) {
          const heldUntil = new Date(current.leaseUntil).toISOString();
          return { acquired: false, heldUntil, cooldown: current.released };
        }
        this.#previous = current.lastResult;
        const version = await this.#write(this.#lease(), true);
        if (version === current.version + 1) return { acquired: true };
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
      const current = await this.#read();
      if (current?.owner !== owner) return undefined;
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
      return undefined;
    } catch (error) {
      return this.#wrap('cannot release the login lease', error).message;
    }
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

  async #create(): Promise<boolean> {
    try {
      await this.#write(this.#lease(), false);
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
