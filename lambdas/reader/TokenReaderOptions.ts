import type { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import { isAllowedEndpoint } from '../envelope/isAllowedEndpoint.ts';
import { PARAMETER_PREFIX_PATTERN, ReaderDefaults, ReaderEnvironment } from './constants.ts';
import { getSecondsFromEnv, getStringFromEnv } from './envVariables.ts';
import { ReaderConfigurationError } from './errors.ts';

/**
 * Options of a `TokenReader`. Each one left out comes from the environment or a default.
 *
 * @example
 * ```ts
 * const reader = new TokenReader({
 *   parameterPrefix: '/token-broker/prod',
 *   ssmClient: new SSMClient({ maxAttempts: 5 }),
 * });
 * ```
 */
export interface TokenReaderOptions {
  /**
   * The broker's parameter prefix, such as `/token-broker/dev`; instance `x` is read from
   * `{parameterPrefix}/x`. Default: `TOKEN_BROKER_PARAMETER_PREFIX`; one of the two is required.
   */
  readonly parameterPrefix?: string;
  /**
   * Seconds a returned token must still be valid for; the cache keeps a token until then.
   * Default: `TOKEN_BROKER_MIN_VALIDITY_SECONDS`, else 60.
   */
  readonly minValiditySeconds?: number;
  /**
   * The refresher Lambda (name or ARN) that `fetchWithToken` invokes after a 401.
   * Default: `TOKEN_BROKER_REFRESHER_FUNCTION`, else none (re-read only).
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
  /** The SSM client to read with. Default: `new SSMClient({})`. */
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
  const parameterPrefix =
    options.parameterPrefix ?? getStringFromEnv(ReaderEnvironment.parameterPrefix);
  if (parameterPrefix === undefined) {
    throw new ReaderConfigurationError(
      `no parameter prefix: set ${ReaderEnvironment.parameterPrefix} or pass parameterPrefix`,
    );
  }
  if (!PARAMETER_PREFIX_PATTERN.test(parameterPrefix)) {
    throw new ReaderConfigurationError(
      `parameter prefix "${parameterPrefix}" must look like /token-broker/dev (no trailing slash)`,
    );
  }
  return {
    parameterPrefix,
    minValiditySeconds: checkSeconds(
      'minValiditySeconds',
      options.minValiditySeconds ??
        getSecondsFromEnv(ReaderEnvironment.minValiditySeconds) ??
        ReaderDefaults.minValiditySeconds,
    ),
    refresherFunctionName:
      options.refresherFunctionName ?? getStringFromEnv(ReaderEnvironment.refresherFunction),
    refreshCooldownSeconds: checkSeconds(
      'refreshCooldownSeconds',
      options.refreshCooldownSeconds ?? ReaderDefaults.refreshCooldownSeconds,
    ),
    allowedOrigins: resolveAllowedOrigins(options.allowedOrigins),
    ssmClient: options.ssmClient ?? new SSMClient({}),
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
