import { TOKEN_LIFETIME } from './contract/envelope.ts';
import { PARAMETER_PREFIX_PATTERN } from './contract/names.ts';

/**
 * Environment variables the reader reads its defaults from. A downstream function sets them once
 * (the infrastructure exports the values) and calls `getToken(name)` with no options.
 *
 * @example
 * ```ts
 * // In the downstream function's environment:
 * // TOKEN_BROKER_PARAMETER_PREFIX=/token-broker/prod
 * // TOKEN_BROKER_MIN_VALIDITY_SECONDS=120            (optional, default 60)
 * // TOKEN_BROKER_REFRESHER_FUNCTION=token-broker-refresher  (optional)
 * // TOKEN_BROKER_ALLOWED_ORIGINS=https://api.example.org     (optional)
 * const prefix = process.env[ReaderEnvironment.parameterPrefix];
 * ```
 */
export const ReaderEnvironment = {
  /** The broker's parameter prefix, such as `/token-broker/dev`. Required unless passed as an option. */
  parameterPrefix: 'TOKEN_BROKER_PARAMETER_PREFIX',
  /**
   * Instead of the prefix, for a broker in another account: the ARN of its parameters' prefix,
   * such as `arn:aws:ssm:eu-west-1:123456789012:parameter/token-broker/prod`.
   */
  parameterArnPrefix: 'TOKEN_BROKER_PARAMETER_ARN_PREFIX',
  /** Seconds a returned token must still be valid for (default 60). */
  minValiditySeconds: 'TOKEN_BROKER_MIN_VALIDITY_SECONDS',
  /**
   * Name or ARN of the refresher Lambda that `fetchWithToken` invokes after a 401 (optional; an
   * ARN in the broker's account and region when reading by ARN prefix).
   */
  refresherFunction: 'TOKEN_BROKER_REFRESHER_FUNCTION',
  /** Comma-separated origins `fetchWithToken` may send a token without `baseUrl` to (optional). */
  allowedOrigins: 'TOKEN_BROKER_ALLOWED_ORIGINS',
} as const;

/**
 * The reader's defaults, applied in one place (`resolveTokenReaderOptions`).
 *
 * @example
 * ```ts
 * new TokenReader({ minValiditySeconds: ReaderDefaults.minValiditySeconds * 2 });
 * ```
 */
export const ReaderDefaults = {
  /**
   * A returned token is valid for at least this long (60 s); the cache keeps it until then. The
   * refresher refuses tokens that live less.
   */
  minValiditySeconds: TOKEN_LIFETIME.minSeconds,
  /** After invoking the refresher for an instance, wait this long before invoking it again. */
  refreshCooldownSeconds: 30,
  /** A frozen SSM endpoint fails a read after this long per attempt (a read takes tens of ms). */
  ssmRequestTimeoutMs: 3_000,
  /** Longest wait for a TCP connection to SSM or Lambda. */
  connectionTimeoutMs: 3_000,
  /**
   * Longest wait for the refresher's answer: a login may wait a TOTP step (30 s) and take up to
   * 45 s, then publish.
   */
  invokeTimeoutMs: 120_000,
} as const;

/**
 * The ARN of a parameter prefix: partition, region, account, then `parameter` and a prefix the
 * broker accepts ({@link PARAMETER_PREFIX_PATTERN}).
 */
export const PARAMETER_ARN_PREFIX_PATTERN = new RegExp(
  `^arn:aws[a-z-]*:ssm:([a-z0-9-]+):(\\d{12}):parameter(${PARAMETER_PREFIX_PATTERN.source.slice(1, -1)})$`,
);

/** The ARN of a Lambda function, optionally with a version or alias qualifier. */
export const FUNCTION_ARN_PATTERN =
  /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9$_-]{1,128})?$/;
