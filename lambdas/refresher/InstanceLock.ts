import {
  DeleteParameterCommand,
  GetParameterCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { describeError } from './describeError.ts';
import { StoreAccessError } from './errors.ts';
import { hasErrorName } from './hasErrorName.ts';

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
  | { readonly acquired: false; readonly heldUntil: string };

interface LockValue {
  readonly owner: string;
  readonly leaseUntil: number;
  readonly version: number;
}

const MAX_ACQUIRE_ROUNDS = 3;

/**
 * A lease on one instance's login, so two racing runs (a schedule retry and an on-demand call)
 * never log in twice for the same instance.
 *
 * The lease is an SSM String parameter holding `{"owner","leaseUntil"}`:
 * - acquire: `PutParameter` with `Overwrite=false`; SSM creates it for exactly one caller.
 * - when it exists and its lease has not expired, another run holds it: back off.
 * - when its lease expired (the holder crashed or timed out), take it over with
 *   `Overwrite=true`; SSM numbers versions atomically, so only the caller whose write got the
 *   version right after the expired one holds it, and every other taker backs off.
 * - release: `DeleteParameter`, only when the stored owner is still this run.
 *
 * @example
 * const lock = new InstanceLock({ ssm, instance: 'idp', parameterName, owner: runId, leaseMs: 60_000, now: Date.now });
 * if ((await lock.acquire()).acquired) try { ... } finally { await lock.release(); }
 */
export class InstanceLock {
  readonly #options: InstanceLockOptions;

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
        if (await this.#create()) return { acquired: true };
        const current = await this.#read();
        if (current === undefined) continue; // released in between: try to create it again
        if (current.leaseUntil > this.#options.now()) {
          return { acquired: false, heldUntil: new Date(current.leaseUntil).toISOString() };
        }
        const version = await this.#write(true);
        if (version === current.version + 1) return { acquired: true };
        return { acquired: false, heldUntil: 'unknown (another run took over the expired lease)' };
      }
      return { acquired: false, heldUntil: 'unknown (the lease kept changing hands)' };
    } catch (error) {
      throw this.#wrap('cannot take the login lease', error);
    }
  }

  /**
   * Gives the lease back when this run still owns it. Never throws: a lease that cannot be
   * deleted simply expires.
   *
   * @returns the reason when the lease could not be released
   */
  public async release(): Promise<string | undefined> {
    try {
      const current = await this.#read();
      if (current?.owner !== this.#options.owner) return undefined;
      await this.#options.ssm.send(
        new DeleteParameterCommand({ Name: this.#options.parameterName }),
      );
      return undefined;
    } catch (error) {
      if (hasErrorName(error, 'ParameterNotFound')) return undefined;
      return this.#wrap('cannot release the login lease', error).message;
    }
  }

  async #create(): Promise<boolean> {
    try {
      await this.#write(false);
      return true;
    } catch (error) {
      if (hasErrorName(error, 'ParameterAlreadyExists')) return false;
      throw error;
    }
  }

  async #write(overwrite: boolean): Promise<number | undefined> {
    const { owner, leaseMs, now, parameterName, ssm } = this.#options;
    const output = await ssm.send(
      new PutParameterCommand({
        Name: parameterName,
        Value: JSON.stringify({ owner, leaseUntil: new Date(now() + leaseMs).toISOString() }),
        Type: 'String',
        Overwrite: overwrite,
      }),
    );
    return output.Version;
  }

  async #read(): Promise<LockValue | undefined> {
    try {
      const output = await this.#options.ssm.send(
        new GetParameterCommand({ Name: this.#options.parameterName }),
      );
      return parseLockValue(output.Parameter?.Value, output.Parameter?.Version ?? 0);
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

/** A value that is not a lease we wrote counts as an expired lease owned by nobody. */
function parseLockValue(text: string | undefined, version: number): LockValue {
  try {
    const value: unknown = JSON.parse(text ?? '');
    if (typeof value === 'object' && value !== null) {
      const { owner, leaseUntil } = value as Record<string, unknown>;
      const until = typeof leaseUntil === 'string' ? Date.parse(leaseUntil) : Number.NaN;
      if (typeof owner === 'string' && !Number.isNaN(until)) {
        return { owner, leaseUntil: until, version };
      }
    }
  } catch {
    // not JSON: fall through
  }
  return { owner: '', leaseUntil: 0, version };
}
