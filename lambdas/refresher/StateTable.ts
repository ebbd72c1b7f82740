import {
  type AttributeValue,
  BatchGetItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { Credentials } from '../config/index.ts';
import { TOTP_PERIOD_SECONDS, totpStep } from '../totp/index.ts';
import { STATE_TABLE_PARTITION_KEY as KEY } from './contract.ts';
import {
  describeError,
  hasErrorName,
  StateTableError,
  StateTableMissingError,
  StoreAccessError,
} from './errors.ts';

/** Longest `reason` a {@link LastResult} keeps. */
export const MAX_LAST_RESULT_REASON = 512;

/** The outcomes a refresh record remembers: actual attempts (skips and deferrals are not). */
export type RecordedOutcome = 'refreshed' | 'failed' | 'pending';

/** The refresher's last actual attempt on an instance. */
export interface LastResult {
  readonly outcome: RecordedOutcome;
  /** When the attempt ended, ISO 8601. */
  readonly at: string;
  /** Why it failed or is pending (never a secret), at most {@link MAX_LAST_RESULT_REASON} characters. */
  readonly reason?: string;
}

/**
 * One instance's item in the state table: its login lease and the memory of its last attempt.
 * Items are never deleted by the refresher.
 */
export interface StateRecord {
  /** The run that holds or last held the lease; `''` when none ever did. */
  readonly owner: string;
  /** Epoch ms until which no other run may log in; 0 when none ever did. */
  readonly leaseUntil: number;
  /**
   * `true` once the owner finished: a `leaseUntil` still in the future is then a TOTP cooldown
   * (the step of its login has not ended), not a login in progress.
   */
  readonly released: boolean;
  readonly lastResult?: LastResult;
}

/** The record of an instance that has none yet. */
export const EMPTY_RECORD: StateRecord = { owner: '', leaseUntil: 0, released: true };

/** Result of {@link StateTable.acquire}. */
export type LeaseAttempt =
  | {
      readonly acquired: true;
      readonly lease: Lease;
      /** The record as it was before this run took the lease ({@link EMPTY_RECORD} for none). */
      readonly previous: StateRecord;
    }
  | {
      readonly acquired: false;
      /** Epoch ms when the current holder's lease (or its TOTP cooldown) ends. */
      readonly heldUntil: number;
      /** The holder already finished: its login's TOTP step has not ended yet. */
      readonly cooldown: boolean;
    };

/** What a lease's release records. */
export interface LeaseRelease {
  /** Epoch ms from which another run may log in (now, or the end of a TOTP login's step). */
  readonly freeAt: number;
  /** This run's attempt; `undefined` keeps the last result the record held before. */
  readonly lastResult: LastResult | undefined;
}

/** How to reach a state table. */
export interface StateTableOptions {
  readonly dynamodb: DynamoDBClient;
  readonly tableName: string;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

/** Keys per BatchGetItem call: DynamoDB's limit. */
const BATCH = 100;
/** Rounds of BatchGetItem for keys DynamoDB left unprocessed before giving up. */
const MAX_BATCH_ROUNDS = 5;

const NAMES = { '#owner': 'owner', '#instance': KEY };

/**
 * The broker's state table (DynamoDB, partition key `instance`): per instance, the login lease
 * that keeps two runs (a schedule retry and an on-demand call, or the CLI) from logging in twice
 * within one TOTP step, and the record of the last attempt that `token-broker status` shows.
 *
 * Every write is one conditional `UpdateItem`, which DynamoDB serialises per item:
 * - acquire succeeds when there is no item, its lease ended, or its `leaseUntil` lies implausibly
 *   far ahead (written by a container whose clock ran fast); exactly one of racing takers wins.
 * - fence (before a publish) renews the lease only while this run still owns it.
 * - release writes the last result only while this run still owns the lease, so a run that lost
 *   its lease never overwrites the record of the run that took it over.
 *
 * @example
 * const table = new StateTable({ dynamodb, tableName: config.stateTable, now: Date.now });
 * const attempt = await table.acquire('idp', runId, 90_000);
 * if (attempt.acquired) await attempt.lease.release({ freeAt: Date.now(), lastResult });
 */
export class StateTable {
  readonly #options: StateTableOptions;

  public constructor(options: StateTableOptions) {
    this.#options = options;
  }

  /** The table's name. */
  public get tableName(): string {
    return this.#options.tableName;
  }

  /**
   * Reads the records of `instances` (BatchGetItem, consistent, 100 keys a call). An instance
   * without an item gets {@link EMPTY_RECORD}.
   *
   * @throws {StateTableMissingError} when the table does not exist
   * @throws {StateTableError} when DynamoDB refuses or fails (a {@link StoreAccessError} naming
   *   the instance when only one was asked for)
   */
  public async readRecords(instances: readonly string[]): Promise<Map<string, StateRecord>> {
    const { dynamodb, tableName } = this.#options;
    const records = new Map<string, StateRecord>();
    try {
      for (let start = 0; start < instances.length; start += BATCH) {
        let keys: Record<string, AttributeValue>[] = instances
          .slice(start, start + BATCH)
          .map((instance) => ({ [KEY]: { S: instance } }));
        for (let round = 0; keys.length > 0; round++) {
          if (round === MAX_BATCH_ROUNDS) throw new Error('DynamoDB left keys unprocessed');
          const output = await dynamodb.send(
            new BatchGetItemCommand({
              RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } },
            }),
          );
          for (const item of output.Responses?.[tableName] ?? []) {
            const instance = item[KEY]?.S;
            if (instance !== undefined) records.set(instance, parseRecord(item));
          }
          keys = output.UnprocessedKeys?.[tableName]?.Keys ?? [];
        }
      }
    } catch (error) {
      throw this.#wrap(instances.length === 1 ? instances[0] : undefined, 'read', error);
    }
    for (const instance of instances) {
      if (!records.has(instance)) records.set(instance, EMPTY_RECORD);
    }
    return records;
  }

  /**
   * Tries to take an instance's login lease for `leaseMs`.
   *
   * @param owner - identifies the run; only the owner fences and releases
   * @param plausibleMs - a stored `leaseUntil` more than this far ahead of now was written by a
   *   skewed clock and counts as ended
   * @param options.abortSignal - aborts the call (a deadline)
   * @throws {StateTableMissingError} when the table does not exist
   * @throws {StoreAccessError} when DynamoDB refuses or fails
   */
  public async acquire(
    instance: string,
    owner: string,
    leaseMs: number,
    plausibleMs: number,
    options: { readonly abortSignal?: AbortSignal } = {},
  ): Promise<LeaseAttempt> {
    const now = this.#options.now();
    try {
      const previous = await this.#update(
        instance,
        {
          UpdateExpression: 'SET #owner = :owner, leaseUntil = :until, released = :false',
          ConditionExpression:
            'attribute_not_exists(#instance) OR leaseUntil <= :now OR leaseUntil > :implausible',
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: {
            ':owner': { S: owner },
            ':until': { N: String(now + leaseMs) },
            ':now': { N: String(now) },
            ':implausible': { N: String(now + plausibleMs) },
            ':false': { BOOL: false },
          },
        },
        options.abortSignal,
      );
      return {
        acquired: true,
        lease: new Lease(this, instance, owner),
        previous: previous === undefined ? EMPTY_RECORD : parseRecord(previous),
      };
    } catch (error) {
      if (!hasErrorName(error, 'ConditionalCheckFailedException')) {
        throw this.#wrap(instance, 'take the login lease in', error);
      }
      const held = conditionFailureItem(error);
      const record = held === undefined ? (await this.readRecords([instance])).get(instance) : held;
      return {
        acquired: false,
        heldUntil: record?.leaseUntil ?? now,
        cooldown: record?.released ?? false,
      };
    }
  }

  /** @internal {@link Lease.fence}. */
  public async fence(
    instance: string,
    owner: string,
    untilMs: number,
    abortSignal?: AbortSignal,
  ): Promise<boolean> {
    try {
      await this.#update(
        instance,
        {
          UpdateExpression: 'SET leaseUntil = :until',
          ConditionExpression: '#owner = :owner AND released = :false',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':owner': { S: owner },
            ':until': { N: String(untilMs) },
            ':false': { BOOL: false },
          },
        },
        abortSignal,
      );
      return true;
    } catch (error) {
      if (hasErrorName(error, 'ConditionalCheckFailedException')) return false;
      throw this.#wrap(instance, 'renew the login lease in', error);
    }
  }

  /** @internal {@link Lease.release}. */
  public async release(
    instance: string,
    owner: string,
    release: LeaseRelease,
    abortSignal?: AbortSignal,
  ): Promise<boolean> {
    const { lastResult } = release;
    try {
      await this.#update(
        instance,
        {
          UpdateExpression: `SET leaseUntil = :until, released = :true${lastResult === undefined ? '' : ', lastResult = :last'}`,
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':owner': { S: owner },
            ':until': { N: String(Math.max(release.freeAt, this.#options.now())) },
            ':true': { BOOL: true },
            ...(lastResult === undefined ? {} : { ':last': formatLastResult(lastResult) }),
          },
        },
        abortSignal,
      );
      return true;
    } catch (error) {
      if (hasErrorName(error, 'ConditionalCheckFailedException')) return false;
      throw this.#wrap(instance, 'release the login lease in', error);
    }
  }

  async #update(
    instance: string,
    input: Omit<ConstructorParameters<typeof UpdateItemCommand>[0], 'TableName' | 'Key'>,
    abortSignal: AbortSignal | undefined,
  ): Promise<Record<string, AttributeValue> | undefined> {
    const output = await this.#options.dynamodb.send(
      new UpdateItemCommand({
        TableName: this.#options.tableName,
        Key: { [KEY]: { S: instance } },
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        ...input,
      }),
      abortSignal === undefined ? {} : { abortSignal },
    );
    return output?.Attributes;
  }

  #wrap(instance: string | undefined, what: string, error: unknown): Error {
    const { tableName } = this.#options;
    if (hasErrorName(error, 'ResourceNotFoundException')) {
      return new StateTableMissingError(tableName, { cause: error });
    }
    const detail = `cannot ${what} state table ${tableName}: ${describeError(error)}`;
    return instance === undefined
      ? new StateTableError(tableName, detail, { cause: error })
      : new StoreAccessError(instance, detail, { cause: error });
  }
}

/**
 * A lease this run holds on one instance's login, from {@link StateTable.acquire}.
 */
export class Lease {
  readonly #table: StateTable;
  readonly #instance: string;
  readonly #owner: string;

  public constructor(table: StateTable, instance: string, owner: string) {
    this.#table = table;
    this.#instance = instance;
    this.#owner = owner;
  }

  /**
   * Fencing before a publish: renews the lease until `untilMs` when this run still owns it.
   *
   * @returns `false` when another run has taken the lease over (this run outran it): do not publish
   */
  public fence(untilMs: number, abortSignal?: AbortSignal): Promise<boolean> {
    return this.#table.fence(this.#instance, this.#owner, untilMs, abortSignal);
  }

  /**
   * Records the attempt and frees the lease at `freeAt`, when this run still owns it.
   *
   * @returns `false` when another run had taken the lease over: its record was left alone
   */
  public release(release: LeaseRelease, abortSignal?: AbortSignal): Promise<boolean> {
    return this.#table.release(this.#instance, this.#owner, release, abortSignal);
  }
}

/**
 * Creates a broker's state table when it does not exist (on-demand billing, encrypted at rest
 * with `kmsKeyId` or the AWS owned key) and waits until it is active. Idempotent.
 *
 * @returns `true` when it created the table, `false` when it already existed
 * @throws {StateTableError} when DynamoDB refuses or fails
 *
 * @example
 * await ensureStateTable(new DynamoDBClient({}), config.stateTable);
 */
export async function ensureStateTable(
  dynamodb: DynamoDBClient,
  tableName: string,
  options: { readonly kmsKeyId?: string; readonly maxWaitSeconds?: number } = {},
): Promise<boolean> {
  let created = false;
  try {
    try {
      await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (error) {
      if (!hasErrorName(error, 'ResourceNotFoundException')) throw error;
      try {
        await dynamodb.send(
          new CreateTableCommand({
            TableName: tableName,
            BillingMode: 'PAY_PER_REQUEST',
            KeySchema: [{ AttributeName: KEY, KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: KEY, AttributeType: 'S' }],
            SSESpecification:
              options.kmsKeyId === undefined
                ? { Enabled: false }
                : { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: options.kmsKeyId },
          }),
        );
        created = true;
      } catch (createError) {
        // Another caller created it in between: wait for it like for our own.
        if (!hasErrorName(createError, 'ResourceInUseException')) throw createError;
      }
    }
    await waitUntilTableExists(
      { client: dynamodb, maxWaitTime: options.maxWaitSeconds ?? 120, minDelay: 1 },
      { TableName: tableName },
    );
  } catch (error) {
    throw new StateTableError(
      tableName,
      `cannot create state table ${tableName}: ${describeError(error)}`,
      { cause: error },
    );
  }
  return created;
}

/**
 * A record as DynamoDB stores it. Anything unexpected still parses: an item without a valid owner
 * and `leaseUntil` counts as an ended lease, and an invalid `lastResult` is dropped.
 */
export function parseRecord(item: Record<string, AttributeValue>): StateRecord {
  const owner = item.owner?.S;
  const leaseUntil = Number(item.leaseUntil?.N);
  if (owner === undefined || !Number.isFinite(leaseUntil)) return EMPTY_RECORD;
  const lastResult = parseLastResult(item.lastResult?.M);
  return {
    owner,
    leaseUntil,
    released: item.released?.BOOL === true,
    ...(lastResult === undefined ? {} : { lastResult }),
  };
}

/**
 * What a run's result tells the record: `refreshed`, `failed` and `pending` are attempts;
 * `skipped` and `deferred` are not (`undefined`: the previous last result stays).
 *
 * @param at - when the attempt ended, epoch ms
 */
export function lastResultOf(
  result: { readonly outcome: string; readonly reason?: string },
  at: number,
): LastResult | undefined {
  const { outcome, reason } = result;
  if (outcome !== 'refreshed' && outcome !== 'failed' && outcome !== 'pending') return undefined;
  return {
    outcome,
    at: new Date(at).toISOString(),
    ...(reason === undefined ? {} : { reason: capReason(reason) }),
  };
}

function formatLastResult(lastResult: LastResult): AttributeValue {
  return {
    M: {
      outcome: { S: lastResult.outcome },
      at: { S: lastResult.at },
      ...(lastResult.reason === undefined ? {} : { reason: { S: lastResult.reason } }),
    },
  };
}

function parseLastResult(
  value: Record<string, AttributeValue> | undefined,
): LastResult | undefined {
  const outcome = value?.outcome?.S;
  const at = value?.at?.S;
  const reason = value?.reason?.S;
  if (outcome !== 'refreshed' && outcome !== 'failed' && outcome !== 'pending') return undefined;
  if (at === undefined || Number.isNaN(Date.parse(at))) return undefined;
  return { outcome, at, ...(reason === undefined ? {} : { reason: capReason(reason) }) };
}

function conditionFailureItem(error: unknown): StateRecord | undefined {
  const item = (error as { Item?: Record<string, AttributeValue> }).Item;
  return item === undefined ? undefined : parseRecord(item);
}

function capReason(reason: string): string {
  return reason.length > MAX_LAST_RESULT_REASON
    ? `${reason.slice(0, MAX_LAST_RESULT_REASON - 1)}…`
    : reason;
}

/** Added to the end of a TOTP step for clock skew between the refresher's containers. */
export const TOTP_SKEW_MARGIN_MS = 1000;

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

/**
 * When another run may log in to an instance after this run's login ended at `loginEndedAt`
 * (epoch ms): with a TOTP seed, after the step the login's code belonged to (at the latest the
 * step it ended in) plus {@link TOTP_SKEW_MARGIN_MS}, since the vendor refuses a code of a step
 * that was already used; without one, at once.
 *
 * @example
 * loginCooldownEnd({ username, password, totpSecret }, Date.parse('2026-11-22T09:00:10Z'));
 * // => Date.parse('2026-11-22T09:00:31Z')
 */
export function loginCooldownEnd(credentials: Credentials, loginEndedAt: number): number {
  if (!('totpSecret' in credentials) || credentials.totpSecret === undefined) return loginEndedAt;
  return (totpStep(loginEndedAt) + 1) * STEP_MS + TOTP_SKEW_MARGIN_MS;
}
