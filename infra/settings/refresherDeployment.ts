import type { BrokerConfig } from '../../lambdas/config/index.ts';
import { RefresherEnvironment } from '../../lambdas/refresher/contract.ts';

/**
 * The environment every bundled Lambda function (`lambdaArchive` in the components) runs with:
 * `NODE_OPTIONS` turns its stack traces back into source lines through the bundle's source map.
 */
export const BUNDLE_ENVIRONMENT: Readonly<Record<string, string>> = {
  NODE_OPTIONS: '--enable-source-maps',
};

/** The most bytes Lambda accepts for all environment variables of a function together. */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/**
 * The most bytes the refresher's environment may take with the configuration inline. Larger
 * configurations ship as {@link REFRESHER_CONFIG_FILE}; the margin below
 * {@link LAMBDA_ENVIRONMENT_LIMIT_BYTES} leaves room for variables Lambda or a team adds.
 */
export const INLINE_ENVIRONMENT_BUDGET_BYTES = 3500;

/** The configuration file's name in the refresher's deployment archive, next to `index.mjs`. */
export const REFRESHER_CONFIG_FILE = 'config.json';

/** What the refresher's environment is built from. */
export interface RefresherDeploymentInput {
  readonly config: BrokerConfig;
  readonly scheduleSeconds: number;
  readonly kmsKeyArn: string | undefined;
}

/** How the refresher receives its settings. */
export interface RefresherDeployment {
  /** The function's environment variables, besides `BUNDLE_ENVIRONMENT` (its function adds that). */
  readonly variables: Record<string, string>;
  /** Files to add to the deployment archive, by name: the configuration when it is not inline. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * The refresher's environment variables (the contract in `lambdas/refresher/contract.ts`). The
 * configuration document goes inline in `TOKEN_BROKER_CONFIG` while the whole environment, with the
 * `BUNDLE_ENVIRONMENT` its function adds, stays within {@link INLINE_ENVIRONMENT_BUDGET_BYTES};
 * otherwise it becomes {@link REFRESHER_CONFIG_FILE} in the archive, named by
 * `TOKEN_BROKER_CONFIG_FILE`.
 *
 * @example
 * const { variables, files } = refresherDeployment({ config, scheduleSeconds: 300, kmsKeyArn: undefined });
 */
export function refresherDeployment(input: RefresherDeploymentInput): RefresherDeployment {
  const document = JSON.stringify(input.config);
  const common = {
    [RefresherEnvironment.scheduleSeconds]: String(input.scheduleSeconds),
    ...(input.kmsKeyArn === undefined ? {} : { [RefresherEnvironment.kmsKeyId]: input.kmsKeyArn }),
  };
  const inline = { [RefresherEnvironment.config]: document, ...common };
  if (environmentSize({ ...inline, ...BUNDLE_ENVIRONMENT }) <= INLINE_ENVIRONMENT_BUDGET_BYTES) {
    return { variables: inline, files: {} };
  }
  return {
    variables: { [RefresherEnvironment.configFile]: REFRESHER_CONFIG_FILE, ...common },
    files: { [REFRESHER_CONFIG_FILE]: document },
  };
}

/** Bytes an environment takes against {@link LAMBDA_ENVIRONMENT_LIMIT_BYTES} (names and values). */
export function environmentSize(environment: Readonly<Record<string, string>>): number {
  return Object.entries(environment).reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value),
    0,
  );
}
