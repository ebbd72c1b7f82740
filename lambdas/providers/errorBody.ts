import { isRecord, parseJsonLeniently } from '../config/index.ts';
import { sanitiseDetail } from './sanitiseDetail.ts';

/**
 * What a vendor's error body says: OAuth2's `error` and `error_description` (RFC 6749 §5.2),
 * Crisisworks' `message`, and Code42's error arrays. Read leniently: any body (HTML, plain text,
 * other JSON) gives nothing rather than an error.
 */

/** The `primaryErrorKey` Code42 answers when an MFA account sends no `totp-auth` code. */
export const TOTP_REQUIRED_KEY = 'TIME_BASED_ONE_TIME_PASSWORD_REQUIRED';

/** One error of a Code42 error body. */
export interface Code42Error {
  readonly primaryErrorKey?: string | undefined;
  readonly description?: string | undefined;
}

function toCode42Error(value: unknown): Code42Error | undefined {
  if (!isRecord(value)) return undefined;
  const key = typeof value.primaryErrorKey === 'string' ? value.primaryErrorKey : undefined;
  const description = typeof value.description === 'string' ? value.description : undefined;
  return key === undefined && description === undefined
    ? undefined
    : { primaryErrorKey: key, description };
}

/** The items that may be Code42 errors: a bare array, the v3 `error` array or object, the body itself. */
function candidates(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (!isRecord(value)) return [];
  const nested = Array.isArray(value.error) ? value.error : [value.error];
  return [...nested, value];
}

/**
 * The errors of a Code42 error body, read leniently: a bare array
 * `[{"primaryErrorKey", "otherErrorKeys", "exceptionClass", "description"}]`, the v3 shape
 * `{"data": null, "error": [...] | {...}, "warnings": null}`, or one error object. Anything else
 * (not JSON, HTML) gives an empty list.
 *
 * @example
 * parseCode42Errors('[{"primaryErrorKey":"INVALID_USERNAME_OR_PASSWORD"}]');
 * // => [{ primaryErrorKey: 'INVALID_USERNAME_OR_PASSWORD', description: undefined }]
 */
export function parseCode42Errors(body: string): readonly Code42Error[] {
  return candidates(parseJsonLeniently(body))
    .map(toCode42Error)
    .filter((item) => item !== undefined);
}

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

/**
 * The RFC 6749 §5.2 `error` code of an error body, when it has one.
 *
 * @example
 * oauthErrorCode('{"error":"invalid_grant"}'); // => 'invalid_grant'
 */
export function oauthErrorCode(body: string): string | undefined {
  const value = parseJsonLeniently(body);
  return isRecord(value) && typeof value.error === 'string' ? value.error : undefined;
}

/**
 * What a vendor's error body says, for an error message: only its known fields, each sanitised
 * ({@link sanitiseDetail}: secrets redacted in every form, at most 200 characters), never the raw
 * body, which may echo the request. The fields: OAuth2's `error` and `error_description`
 * (`invalid_scope: scope admin is not allowed`), Crisisworks' `message`, and Code42's
 * `primaryErrorKey`s (else their `description`s) from its error arrays ({@link parseCode42Errors}).
 *
 * @example
 * vendorErrorDetail('{"error":"invalid_client","error_description":"bad hunter2"}', ['hunter2']);
 * // => 'invalid_client: bad [redacted]'
 * @returns `undefined` when the body has none of these fields (HTML, plain text, other JSON)
 */
export function vendorErrorDetail(body: string, secrets: readonly string[]): string | undefined {
  const clean = (text: string) => sanitiseDetail(text, secrets);
  const value = parseJsonLeniently(body);
  const parts: string[] = [];
  if (isRecord(value)) {
    const { error, error_description: description, message } = value;
    if (typeof error === 'string') {
      parts.push(
        typeof description === 'string' ? `${clean(error)}: ${clean(description)}` : clean(error),
      );
    }
    if (typeof message === 'string') parts.push(clean(message));
  }
  const code42 = parseCode42Errors(body);
  const keys = code42.flatMap(({ primaryErrorKey }) =>
    primaryErrorKey === undefined ? [] : [clean(primaryErrorKey)],
  );
  const descriptions = code42.flatMap(({ description }) =>
    description === undefined ? [] : [clean(description)],
  );
  parts.push(keys.length > 0 ? keys.join(', ') : descriptions.join('; '));
  const detail = parts.filter((part) => part !== '').join('; ');
  return detail === '' ? undefined : detail;
}
