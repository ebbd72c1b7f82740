import { parseCode42Errors } from './parseCode42Errors.ts';

/** The `primaryErrorKey` Code42 answers when an MFA account sends no `totp-auth` code. */
export const TOTP_REQUIRED_KEY = 'TIME_BASED_ONE_TIME_PASSWORD_REQUIRED';

/** What a Code42 error body says, for an error message. */
export interface Code42Failure {
  /** The error keys, e.g. `INVALID_USERNAME_OR_PASSWORD`, comma-separated; else the description. */
  readonly detail: string | undefined;
  readonly keys: readonly string[];
}

/** Reads a Code42 error body (see {@link parseCode42Errors}) into a detail and its keys. */
export function describeCode42Failure(body: string): Code42Failure {
  const errors = parseCode42Errors(body);
  const keys = errors.flatMap((error) =>
    error.primaryErrorKey === undefined ? [] : [error.primaryErrorKey],
  );
  const descriptions = errors.flatMap((error) =>
    error.description === undefined ? [] : [error.description],
  );
  const detail = keys.length > 0 ? keys.join(', ') : descriptions.join('; ') || undefined;
  return { detail, keys };
}
