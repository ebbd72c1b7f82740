import type { z } from 'zod';
import { isRecord } from './json.ts';

/** The parts of a zod schema's definition that lead to the object schemas inside it. */
interface SchemaDefinition {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly in?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly discriminator?: string;
  readonly values?: readonly unknown[];
}

const definitionOf = (schema: z.ZodType) => schema._zod.def as unknown as SchemaDefinition;

/** The object schemas a schema stands for at the top, given the value it validates. */
function objectsOf(schema: z.ZodType, value: unknown): SchemaDefinition[] {
  const definition = definitionOf(schema);
  if (definition.type === 'object') return [definition];
  const inner = definition.in ?? definition.innerType;
  if (inner !== undefined) return objectsOf(inner, value);
  if (definition.type !== 'union') return [];
  const options = (definition.options ?? []).flatMap((option) => objectsOf(option, value));
  const { discriminator } = definition;
  if (discriminator === undefined || !isRecord(value)) return options;
  const chosen = value[discriminator];
  const matching = options.filter((option) => {
    const literal = option.shape?.[discriminator];
    return literal !== undefined && (definitionOf(literal).values ?? []).includes(chosen);
  });
  return matching.length > 0 ? matching : options;
}

/** The schema of an array's elements, looking through wrappers. */
function elementOf(schema: z.ZodType): z.ZodType | undefined {
  const definition = definitionOf(schema);
  if (definition.type === 'array') return definition.element;
  const inner = definition.in ?? definition.innerType;
  return inner === undefined ? undefined : elementOf(inner);
}

/**
 * The keys an object schema accepts at `path` of `value` (as zod reports issue paths), choosing a
 * discriminated union's member by the value's discriminator. For "did you mean" hints on unknown
 * keys.
 *
 * @example
 * knownKeysAt(brokerConfigSchema, document, ['instances', 0]); // => ['name', 'secretId', 'type', 'baseUrl', ...]
 */
export function knownKeysAt(
  schema: z.ZodType,
  value: unknown,
  path: readonly PropertyKey[],
): string[] {
  const [head, ...rest] = path;
  if (head === undefined)
    return objectsOf(schema, value).flatMap((o) => Object.keys(o.shape ?? {}));
  const child =
    typeof value === 'object' && value !== null
      ? (value as Record<PropertyKey, unknown>)[head]
      : undefined;
  if (typeof head === 'number') {
    const element = elementOf(schema);
    return element === undefined ? [] : knownKeysAt(element, child, rest);
  }
  return objectsOf(schema, value).flatMap((object) => {
    const field = object.shape?.[String(head)];
    return field === undefined ? [] : knownKeysAt(field, child, rest);
  });
}
