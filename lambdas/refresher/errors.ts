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
