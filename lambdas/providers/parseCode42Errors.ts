import { isRecord } from './isRecord.ts';
import { parseJsonLeniently } from './parseJsonLeniently.ts';

/** One error of a Code42 error body. */
export interface Code42Error {
  readonly primaryErrorKey?: string;
  readonly description?: string;
}

function toCode42Error(value: unknown): Code42Error | undefined {
  if (!isRecord(value)) return undefined;
  const key = typeof value.primaryErrorKey === 'string' ? value.primaryErrorKey : undefined;
  const description = typeof value.description === 'string' ? value.description : undefined;
  return key === undefined && description === undefined
    ? undefined
    : { primaryErrorKey: key, description };
}

/**
 * The errors of a Code42 error body, read leniently: a bare array
 * `[{"primaryErrorKey", "otherErrorKeys", "exceptionClass", "description"}]`, or the v3 shape
 * `{"data": null, "error": [...] | {...}, "warnings": null}`. Anything else (not JSON, HTML) gives
 * an empty list.
 */
export function parseCode42Errors(body: string): readonly Code42Error[] {
  const value = parseJsonLeniently(body);
  const list = isRecord(value) ? value.error : value;
  const items = Array.isArray(list) ? list : [list];
  return items.map(toCode42Error).filter((item) => item !== undefined);
}
