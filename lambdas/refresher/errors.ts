import { describeThrown } from '../config/index.ts';
import type { InstanceResult } from './contract.ts';

/**
 * One or more instances failed in a run. Thrown by the Lambda handler after every instance was
 * attempted, so retries and alarms see the failure; the message names each failed instance and
 * its reason (never a secret).
 */
export class RefreshFailedError extends Error {
  public override readonly name = 'RefreshFailedError';
  /** Every instance's result, including the ones that succeeded. */
  public readonly results: readonly InstanceResult[];

  public constructor(results: readonly InstanceResult[], options?: ErrorOptions) {
    const failed = results.filter((result) => result.outcome === 'failed');
    super(
      `${failed.length} of ${results.length} instance(s) failed: ${failed
        .map((result) => `${result.name}: ${result.reason ?? 'unknown reason'}`)
        .join('; ')}`,
      options,
    );
    this.results = results;
  }
}

/** An on-demand invocation's event is not a valid {@link RefreshEvent}. */
export class RefreshEventError extends Error {
  public override readonly name = 'RefreshEventError';
}

/** The token a provider returned is not a valid envelope for the instance; it is not published. */
export class InvalidEnvelopeError extends Error {
  public override readonly name = 'InvalidEnvelopeError';
  public readonly instance: string;

  public constructor(instance: string, reason: string, options?: ErrorOptions) {
    super(`instance "${instance}": the login returned an invalid envelope: ${reason}`, options);
    this.instance = instance;
  }
}

/** The stored token parameter or the credentials secret could not be read. */
export class StoreAccessError extends Error {
  public override readonly name = 'StoreAccessError';
  public readonly instance: string;

  public constructor(instance: string, detail: string, options?: ErrorOptions) {
    super(`instance "${instance}": ${detail}`, options);
    this.instance = instance;
  }
}

/**
 * The broker's state table does not exist. Every run needs it, so the run stops with this one
 * error instead of failing each instance.
 */
export class StateTableMissingError extends Error {
  public override readonly name = 'StateTableMissingError';
  public readonly tableName: string;

  public constructor(tableName: string, options?: ErrorOptions) {
    super(
      `state table ${tableName} does not exist: deploy the stack, or create it with "token-broker init --config FILE"`,
      options,
    );
    this.tableName = tableName;
  }
}

/** The state table as a whole could not be read or created (not one instance's problem). */
export class StateTableError extends Error {
  public override readonly name = 'StateTableError';
  public readonly tableName: string;

  public constructor(tableName: string, detail: string, options?: ErrorOptions) {
    super(detail, options);
    this.tableName = tableName;
  }
}

const MAX_REASON_LENGTH = 500;

/**
 * A one-line reason for a failure, safe to log and return: the error's name and message only
 * (never its cause, request or response), newlines folded, length capped.
 *
 * @param error - anything that was thrown
 */
export function describeError(error: unknown): string {
  // Not any value as text: a thrown string may hold anything.
  const text = error instanceof Error ? describeThrown(error) : 'a non-Error value was thrown';
  const line = text.replace(/\s*\n\s*/g, ' ');
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH - 1)}…` : line;
}

/**
 * Whether an AWS SDK error is of the named exception. Compares names rather than classes, so
 * errors from another copy of the SDK (a bundle, a mock) are recognised too.
 */
export function hasErrorName(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/**
 * An AWS service failed every call of the run's first step (reading the stored tokens), so no
 * instance could be judged: reported once, naming the service and where it was reached, instead
 * of failing every instance with the same error.
 */
export class AwsServiceError extends Error {
  public override readonly name = 'AwsServiceError';
  public readonly service: string;

  public constructor(service: string, where: string, detail: string, options?: ErrorOptions) {
    super(`${service} (${where}) failed every call: ${detail}`, options);
    this.service = service;
  }
}

/**
 * Where an SDK v3 client sends its calls, for an error message: its region, and the endpoint
 * when one is configured (`AWS_ENDPOINT_URL`), such as `us-east-1, http://127.0.0.1:5000/`.
 */
export async function describeEndpoint(client: {
  readonly config: {
    readonly region: () => Promise<string>;
    readonly endpoint?: () => Promise<{
      protocol: string;
      hostname: string;
      port?: number;
      path: string;
    }>;
  };
}): Promise<string> {
  const region = await client.config.region().catch(() => 'no region');
  const endpoint = await client.config.endpoint?.().catch(() => undefined);
  if (endpoint === undefined) return region;
  const port = endpoint.port === undefined ? '' : `:${endpoint.port}`;
  return `${region}, ${endpoint.protocol}//${endpoint.hostname}${port}${endpoint.path}`;
}
