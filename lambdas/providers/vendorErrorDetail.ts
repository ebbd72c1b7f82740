import { isRecord } from './isRecord.ts';
import { parseCode42Errors } from './parseCode42Errors.ts';
import { parseJsonLeniently } from './parseJsonLeniently.ts';
import { sanitiseDetail } from './sanitiseDetail.ts';

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
