import type { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import {
  FUNCTION_ARN_PATTERN,
  PARAMETER_ARN_PREFIX_PATTERN,
  ReaderDefaults,
  ReaderEnvironment,
} from './constants.ts';
import { PARAMETER_PREFIX_PATTERN } from './contract/names.ts';
import { isAllowedEndpoint } from './contract/wireSafety.ts';
import { getSecondsFromEnv, getStringFromEnv } from './envVariables.ts';
import { ReaderConfigurationError } from './errors.ts';

/**
 * Options of a `TokenReader`. Each one left out comes from the environment or a default. Give
 * either `parameterPrefix` (a broker in this account) or `parameterArnPrefix` (a broker in
 * another account), not both.
 *
 * @example
 * ```ts
 * const reader = new TokenReader({
 *   parameterPrefix: '/token-broker/prod',
 *   ssmClient: new SSMClient({ maxAttempts: 5 }),
 * });
 * const shared = new TokenReader({
 *   parameterArnPrefix: 'arn:aws:ssm:eu-west-1:123456789012:parameter/token-broker/prod',
 *   refresherFunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:token-broker-refresher',
 * });
 * ```
 */
export type TokenReaderOptions = CommonReaderOptions & (ByPrefix | ByArnPrefix);

/** The options of a reader of a broker in its own account. */
interface ByPrefix {
  /**
   * The broker's parameter prefix, such as `/token-broker/dev`; instance `x` is read from
   * `{parameterPrefix}/x`. Default: `TOKEN_BROKER_PARAMETER_PREFIX`; a prefix or an ARN prefix
   * is required.
   */
  readonly parameterPrefix?: string;
  readonly parameterArnPrefix?: never;
}

/** The options of a reader of a broker in another account, whose parameters are shared with it. */
interface ByArnPrefix {
  readonly parameterPrefix?: never;
  /**
   * The ARN of the broker's parameter prefix, such as
   * `arn:aws:ssm:eu-west-1:123456789012:parameter/token-broker/prod`; instance `x` is read by its
   * full ARN, `{parameterArnPrefix}/x`, as AWS requires for a parameter shared from another
   * account. Default: `TOKEN_BROKER_PARAMETER_ARN_PREFIX`.
   */
  readonly parameterArnPrefix?: string;
}

/** The options of every reader. */
interface CommonReaderOptions {
  /**
   * Seconds a returned token must still be valid for; the cache keeps a token until then.
   * Default: `TOKEN_BROKER_MIN_VALIDITY_SECONDS`, else 60.
   */
  readonly minValiditySeconds?: number;
  /**
   * The refresher Lambda (name or ARN) that `fetchWithToken` invokes after a 401. With
   * `parameterArnPrefix`, it must be the refresher's ARN, in the same account and region (a bare
   * name would invoke a function of this account), and the broker must allow this account
   * (`allowCrossAccountRefresh`). Default: `TOKEN_BROKER_REFRESHER_FUNCTION`, else none (re-read
   * only).
   */
  readonly refresherFunctionName?: string;
  /** Seconds between two on-demand refreshes of one instance. Default: 30. */
  readonly refreshCooldownSeconds?: number;
  /**
   * Origins, such as `https://api.example.org`, that `fetchWithToken` may send a token to when its
   * envelope has no `baseUrl` (an envelope with one only ever goes to the `baseUrl`'s origin).
   * Default: `TOKEN_BROKER_ALLOWED_ORIGINS` (comma-separated), else any https origin.
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * The SSM client to read with. Default: an `SSMClient` that gives up on a connection after 3 s
   * and on an attempt after 3 s, so a frozen endpoint fails a read instead of hanging the handler.
   */
  readonly ssmClient?: SSMClient;
  /** The Lambda client to invoke the refresher with. Default: `new LambdaClient({})`, created on first use. */
  readonly lambdaClient?: LambdaClient;
}

/**
 * Options of one `getToken` call.
 *
 * @example
 * ```ts
 * // A long batch job wants a token that lasts at least 10 more minutes, read fresh:
 * await getToken('cw-sandbox', { forceFetch: true, minValiditySeconds: 600 });
 * ```
 */
export interface GetTokenOptions {
  /** Read SSM even when the cached token is still good. Default: false. */
  readonly forceFetch?: boolean;
  /** Overrides the reader's minimum validity for this call. Default: the reader's (60 s). */
  readonly minValiditySeconds?: number;
}

/** {@link TokenReaderOptions} with every default applied. */
export interface ResolvedTokenReaderOptions {
  /**
   * What `/{name}` is appended to for an instance's parameter: the prefix, or the ARN prefix of a
   * broker in another account.
   */
  readonly parameterPrefix: string;
  readonly minValiditySeconds: number;
  readonly refresherFunctionName: string | undefined;
  readonly refreshCooldownSeconds: number;
  /** Normalised origins, or `undefined` for any https origin. */
  readonly allowedOrigins: readonly string[] | undefined;
  readonly ssmClient: SSMClient;
  readonly lambdaClient: LambdaClient | undefined;
}

/**
 * Applies the environment and the defaults to reader options, in this one place, and validates
 * the result.
 *
 * @throws {ReaderConfigurationError} when the prefix is missing or a value is out of range
 */
export function resolveTokenReaderOptions(
  options: TokenReaderOptions = {},
): ResolvedTokenReaderOptions {
  const parameterPrefix = resolveParameterPrefix(options);
  const refresherFunctionName =
    options.refresherFunctionName ?? getStringFromEnv(ReaderEnvironment.refresherFunction);
  if (refresherFunctionName !== undefined && parameterPrefix.startsWith('arn:')) {
    checkCrossAccountRefresher(parameterPrefix, refresherFunctionName);
  }
  return {
    parameterPrefix,
    minValiditySeconds: checkSeconds(
      'minValiditySeconds',
      options.minValiditySeconds ??
        getSecondsFromEnv(ReaderEnvironment.minValiditySeconds) ??
        ReaderDefaults.minValiditySeconds,
    ),
    refresherFunctionName,
    refreshCooldownSeconds: checkSeconds(
      'refreshCooldownSeconds',
      options.refreshCooldownSeconds ?? ReaderDefaults.refreshCooldownSeconds,
    ),
    allowedOrigins: resolveAllowedOrigins(options.allowedOrigins),
    ssmClient:
      options.ssmClient ??
      new SSMClient({
        requestHandler: {
          connectionTimeout: ReaderDefaults.connectionTimeoutMs,
          requestTimeout: ReaderDefaults.ssmRequestTimeoutMs,
          throwOnRequestTimeout: true,
        },
      }),
    lambdaClient: options.lambdaClient,
  };
}

/**
 * The origins of the `allowedOrigins` option, else of `TOKEN_BROKER_ALLOWED_ORIGINS`, each
 * checked and normalised (`https://api.example.org/` → `https://api.example.org`).
 *
 * @throws {ReaderConfigurationError} naming the option and position of a value that is not an
 *   https origin (or http to a loopback host) without path, query or user info
 */
function resolveAllowedOrigins(option: readonly string[] | undefined): string[] | undefined {
  const fromEnv = getStringFromEnv(ReaderEnvironment.allowedOrigins);
  const source = option === undefined ? ReaderEnvironment.allowedOrigins : 'allowedOrigins';
  const values =
    option ??
    fromEnv
      ?.split(',')
      .map((value) => value.trim())
      .filter((value) => value !== '');
  return values?.map((value, index) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (url === undefined || !isAllowedEndpoint(url) || value.replace(/\/$/, '') !== url.origin) {
      throw new ReaderConfigurationError(
        `${source}[${index}] must be an origin such as https://api.example.org (https, or http to a loopback host; no path, query or user info)`,
      );
    }
    return url.origin;
  });
}

/**
 * The prefix or ARN prefix, from the options, else from the environment, validated.
 *
 * @throws {ReaderConfigurationError} when none is set, both are, or the one set is malformed
 */
function resolveParameterPrefix(options: TokenReaderOptions): string {
  const { parameterPrefix, parameterArnPrefix } = options;
  if (parameterPrefix !== undefined && parameterArnPrefix !== undefined) {
    throw new ReaderConfigurationError(
      'pass parameterPrefix (a broker in this account) or parameterArnPrefix (a broker in another account), not both',
    );
  }
  if (parameterPrefix !== undefined) return checkPrefix(parameterPrefix);
  if (parameterArnPrefix !== undefined) return checkArnPrefix(parameterArnPrefix);
  const fromEnv = getStringFromEnv(ReaderEnvironment.parameterPrefix);
  const arnFromEnv = getStringFromEnv(ReaderEnvironment.parameterArnPrefix);
  if (fromEnv !== undefined && arnFromEnv !== undefined) {
    throw new ReaderConfigurationError(
      `set ${ReaderEnvironment.parameterPrefix} or ${ReaderEnvironment.parameterArnPrefix}, not both`,
    );
  }
  if (fromEnv !== undefined) return checkPrefix(fromEnv);
  if (arnFromEnv !== undefined) return checkArnPrefix(arnFromEnv);
  throw new ReaderConfigurationError(
    `no parameter prefix: set ${ReaderEnvironment.parameterPrefix} (or ${ReaderEnvironment.parameterArnPrefix} for a broker in another account), or pass parameterPrefix or parameterArnPrefix`,
  );
}

function checkPrefix(prefix: string): string {
  if (!PARAMETER_PREFIX_PATTERN.test(prefix)) {
    throw new ReaderConfigurationError(
      `parameter prefix "${prefix}" must look like /token-broker/dev (no trailing slash)`,
    );
  }
  return prefix;
}

function checkArnPrefix(arnPrefix: string): string {
  if (!PARAMETER_ARN_PREFIX_PATTERN.test(arnPrefix)) {
    throw new ReaderConfigurationError(
      `parameter ARN prefix "${arnPrefix}" must look like arn:aws:ssm:REGION:ACCOUNT:parameter/token-broker/prod (no trailing slash)`,
    );
  }
  return arnPrefix;
}

/**
 * A reader of a broker in another account invokes that broker's refresher only by its ARN, in the
 * broker's account and region: a bare name would invoke a function of the reader's own account.
 *
 * @throws {ReaderConfigurationError} otherwise, naming both values
 */
function checkCrossAccountRefresher(arnPrefix: string, refresher: string): void {
  const [, region, account] = PARAMETER_ARN_PREFIX_PATTERN.exec(arnPrefix) ?? [];
  const [, functionRegion, functionAccount] = FUNCTION_ARN_PATTERN.exec(refresher) ?? [];
  if (functionRegion === undefined) {
    throw new ReaderConfigurationError(
      `refresher "${refresher}" must be a Lambda function ARN when tokens are read by ARN prefix: a bare name would invoke a function of this account`,
    );
  }
  if (functionRegion !== region || functionAccount !== account) {
    throw new ReaderConfigurationError(
      `refresher ${refresher} is not in the account and region of the parameters (${account}, ${region})`,
    );
  }
}

/**
 * Returns `seconds` when it is a finite number ≥ 0.
 *
 * @throws {ReaderConfigurationError} otherwise, naming the option
 */
export function checkSeconds(option: string, seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new ReaderConfigurationError(`${option} must be a number of seconds ≥ 0, got ${seconds}`);
  }
  return seconds;
}
