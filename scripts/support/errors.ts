/**
 * A problem on this machine, not at a provider or in AWS: the CLI's state directory cannot be
 * used, for example. The message names the path and the system error code.
 */
export class LocalStateError extends Error {
  public override readonly name = 'LocalStateError';
}

/**
 * Writing an instance's secret failed in AWS. The message names the instance, the secret and the
 * SDK's error, with any credential value redacted.
 */
export class SecretWriteError extends Error {
  public override readonly name = 'SecretWriteError';
}

/**
 * `put-credentials --check` could not log in with the new credentials, so nothing was stored. The
 * message is the login's error (naming the instance, never a secret).
 */
export class CredentialsCheckError extends Error {
  public override readonly name = 'CredentialsCheckError';
}
