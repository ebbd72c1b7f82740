/**
 * Errors of a login. Each names the instance and its provider type and says what went wrong; none
 * ever contains a password, client secret, TOTP seed or code, or token. Catch {@link ProviderError}
 * for all of them, or a subclass to react narrowly (for example: do not retry
 * {@link InvalidCredentialsError}).
 */
export class ProviderError extends Error {
  public override readonly name: string = 'ProviderError';
  /** The instance's name. */
  public readonly instance: string;
  /** The instance's provider type. */
  public readonly provider: string;
  /** The last HTTP status, when there was a response. */
  public readonly status: number | undefined;

  public constructor(
    instance: string,
    provider: string,
    detail: string,
    options?: ErrorOptions & { status?: number | undefined },
  ) {
    super(`instance "${instance}" (${provider}): ${detail}`, options);
    this.instance = instance;
    this.provider = provider;
    this.status = options?.status;
  }
}

/** The provider refused the credentials (for example 401 or OAuth2 `invalid_client`). Retrying will not help. */
export class InvalidCredentialsError extends ProviderError {
  public override readonly name: string = 'InvalidCredentialsError';
}

/**
 * The authorization server refused the refresh token (OAuth2 `invalid_grant`): it expired, was
 * revoked, or was already used. Only a new authorization helps: `token-broker authorize NAME`.
 */
export class ReauthorizationRequiredError extends InvalidCredentialsError {
  public override readonly name = 'ReauthorizationRequiredError';
}

/** The account requires a TOTP code and none was configured (no `totpSecret` in the credentials). */
export class MfaRequiredError extends ProviderError {
  public override readonly name = 'MfaRequiredError';
}

/** The provider could not be reached or stayed unavailable (network, timeout, 429, 5xx) after the retries. */
export class ProviderUnavailableError extends ProviderError {
  public override readonly name = 'ProviderUnavailableError';
}

/** The provider answered, but not with what its documentation promises (or with an unusable token). */
export class MalformedResponseError extends ProviderError {
  public override readonly name = 'MalformedResponseError';
}

/** The endpoint is not https (plain http is allowed only for loopback hosts) or carries user info. */
export class InsecureEndpointError extends ProviderError {
  public override readonly name = 'InsecureEndpointError';
}

/** The provider rejected the request for another reason than the credentials (400, 404, a redirect, ...). */
export class ProviderRequestError extends ProviderError {
  public override readonly name = 'ProviderRequestError';
}

/** The caller's signal aborted the login (for example the Lambda ran out of time). */
export class LoginAbortedError extends ProviderError {
  public override readonly name = 'LoginAbortedError';
}
