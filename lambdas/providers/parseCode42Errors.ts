import { isRecord } from './isRecord.ts';
import { parseJsonLeniently } from './parseJsonLeniently.ts';

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
