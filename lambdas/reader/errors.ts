/**
 * Errors the reader throws. Messages name the instance and its parameter, never the token: they are
 * safe to log.
 */

/**
 * A token could not be handed out. The base of every `getToken` error, so callers can catch all of
 * them at once; also thrown as is, with the original error as `cause`, when SSM itself fails
 * (access denied, throttling, network).
 *
 * @example
 * ```ts
 * try {
 *   await getToken('cw-sandbox');
 * } catch (error) {
 *   if (error instanceof TokenNotFoundError) return { statusCode: 503 }; // not deployed or not published yet
 *   if (error instanceof GetTokenError) logger.error('no token', { error }); // message names the instance, never the token
 *   throw error;
 * }
 * ```
 */
export class GetTokenError extends Error {
  public override readonly name: string = 'GetTokenError';
  /** The provider instance, such as `cw-sandbox`. */
  public readonly instance: string;
  /** The SSM parameter holding its envelope. */
  public readonly parameterName: string;

  public constructor(
    instance: string,
    parameterName: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`token "${instance}" (parameter ${parameterName}): ${detail}`, options);
    this.instance = instance;
    this.parameterName = parameterName;
  }
}

/** The instance's token parameter does not exist: wrong name or prefix, or not deployed. */
export class TokenNotFoundError extends GetTokenError {
  public override readonly name: string = 'TokenNotFoundError';

  public constructor(
    instance: string,
    parameterName: string,
    detail = 'the parameter does not exist',
    options?: ErrorOptions,
  ) {
    super(instance, parameterName, detail, options);
  }
}

/**
 * The parameter exists but the refresher has not published a token into it yet (it still holds
 * the placeholder written at deployment). A {@link TokenNotFoundError}, so one `catch` covers both.
 */
export class TokenNotPublishedError extends TokenNotFoundError {
  public override readonly name: string = 'TokenNotPublishedError';

  public constructor(instance: string, parameterName: string, options?: ErrorOptions) {
    super(instance, parameterName, 'no token has been published yet', options);
  }
}

/**
 * The stored token has expired, or will within the minimum validity: the refresher is behind.
 * An expired token is never returned.
 */
export class TokenExpiredError extends GetTokenError {
  public override readonly name: string = 'TokenExpiredError';
  /** When the stored token expires (ISO 8601). */
  public readonly expiresAt: string;

  public constructor(
    instance: string,
    parameterName: string,
    expiresAt: string,
    minValiditySeconds: number,
    options?: ErrorOptions,
  ) {
    super(
      instance,
      parameterName,
      `the stored token expires at ${expiresAt}, less than ${minValiditySeconds} s from now`,
      options,
    );
    this.expiresAt = expiresAt;
  }
}

/** The parameter's value is not a valid token envelope for this instance. */
export class MalformedTokenError extends GetTokenError {
  public override readonly name: string = 'MalformedTokenError';
  /** What is wrong with the value (never the value itself). */
  public readonly reason: string;

  public constructor(
    instance: string,
    parameterName: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(instance, parameterName, `the value is not a valid token envelope: ${reason}`, options);
    this.reason = reason;
  }
}

/** The refresher Lambda could not be invoked, or reported a failure for the instance. */
export class TokenRefreshError extends Error {
  public override readonly name: string = 'TokenRefreshError';
  /** The provider instance that was to be refreshed. */
  public readonly instance: string;

  public constructor(instance: string, detail: string, options?: ErrorOptions) {
    super(`token "${instance}": the on-demand refresh failed: ${detail}`, options);
    this.instance = instance;
  }
}

/**
 * `fetchWithToken` refused to send the instance's token to a URL: another origin than the
 * envelope's `baseUrl`, an origin not among `allowedOrigins`, not https (plain http is allowed
 * only for loopback hosts), or a URL with user info. A `TypeError`, as `fetch` throws for an
 * unusable URL; nothing was sent.
 */
export class TokenDestinationError extends TypeError {
  public override readonly name: string = 'TokenDestinationError';
  /** The provider instance whose token was refused. */
  public readonly instance: string;

  public constructor(instance: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.instance = instance;
  }
}

/** An option or environment variable of the reader has a bad value, or a required one is missing. */
export class ReaderConfigurationError extends Error {
  public override readonly name: string = 'ReaderConfigurationError';
}
