import { parseCode42Errors } from './parseCode42Errors.ts';

/** The `primaryErrorKey` Code42 answers when an MFA account sends no `totp-auth` code. */
export const TOTP_REQUIRED_KEY = 'TIME_BASED_ONE_TIME_PASSWORD_REQUIRED';

/**
 * The `primaryErrorKey`s of a Code42 error body (see {@link parseCode42Errors}), for deciding
 * what kind of failure it is; the message's detail comes from `LoginContext.failure`.
 *
 * @example
 * code42ErrorKeys('{"data":null,"error":[{"primaryErrorKey":"TIME_BASED_ONE_TIME_PASSWORD_REQUIRED"}]}');
 * // => ['TIME_BASED_ONE_TIME_PASSWORD_REQUIRED']
 */
export function code42ErrorKeys(body: string): readonly string[] {
  return parseCode42Errors(body).flatMap((error) =>
    error.primaryErrorKey === undefined ? [] : [error.primaryErrorKey],
  );
}
