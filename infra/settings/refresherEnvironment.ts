import type { BrokerConfig } from '../../lambdas/config/index.ts';
import { RefresherEnvironment } from '../../lambdas/refresher/contract.ts';

/** The most bytes Lambda accepts for all environment variables of a function together. */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/** What the refresher's environment is built from. */
export interface RefresherEnvironmentInput {
  readonly config: BrokerConfig;
  readonly scheduleSeconds: number;
  readonly kmsKeyArn: string | undefined;
}

/**
 * The refresher's environment variables (the contract in `lambdas/refresher/contract.ts`), plus
 * source-mapped stack traces for the minified bundle.
 *
 * @example
 * refresherEnvironment({ config, scheduleSeconds: 300, kmsKeyArn: undefined });
 */
export function refresherEnvironment(input: RefresherEnvironmentInput): Record<string, string> {
  return {
    [RefresherEnvironment.config]: JSON.stringify(input.config),
    [RefresherEnvironment.scheduleSeconds]: String(input.scheduleSeconds),
    ...(input.kmsKeyArn === undefined ? {} : { [RefresherEnvironment.kmsKeyId]: input.kmsKeyArn }),
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/** Bytes an environment takes against {@link LAMBDA_ENVIRONMENT_LIMIT_BYTES} (names and values). */
export function environmentSize(environment: Readonly<Record<string, string>>): number {
  return Object.entries(environment).reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value),
    0,
  );
}
