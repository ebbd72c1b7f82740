import type { z } from 'zod';
import { closestMatch } from './closestMatch.ts';
import { knownKeysAt } from './knownKeysAt.ts';

/** The schema and the value it rejected, so unknown keys can get a "did you mean" hint. */
export interface IssueContext {
  readonly schema: z.ZodType;
  readonly value: unknown;
}

/**
 * Describes schema issues as `field: problem` pairs. Only paths, messages and key names are used,
 * never the offending values, so a description is safe to log even when the input held secrets.
 * With the schema and value, an unknown key that looks like a known one gets `(did you mean
 * "baseUrl"?)`.
 *
 * @example
 * describeIssues(result.error.issues, { schema, value }); // => 'instances[0]: Unrecognized key: "baseurl" (did you mean "baseUrl"?)'
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  context?: IssueContext,
): string {
  return issues
    .map(
      (issue) =>
        `${issue.path.length > 0 ? formatPath(issue.path) : '(root)'}: ${issue.message}${suggestion(issue, context)}`,
    )
    .join('; ');
}

function suggestion(issue: z.core.$ZodIssue, context: IssueContext | undefined): string {
  if (issue.code !== 'unrecognized_keys' || context === undefined) return '';
  const known = knownKeysAt(context.schema, context.value, issue.path);
  const hints = issue.keys.flatMap((key) => {
    const match = closestMatch(key, known);
    return match === undefined ? [] : [`"${match}"`];
  });
  return hints.length === 0 ? '' : ` (did you mean ${hints.join(', ')}?)`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index > 0 ? '.' : ''}${String(part)}`,
    )
    .join('');
}

/** The broker configuration document is not valid. The message names each bad field. */
export class ConfigError extends Error {
  public override readonly name = 'ConfigError';

  public constructor(source: string, detail: string, options?: ErrorOptions) {
    super(`invalid token-broker configuration (${source}): ${detail}`, options);
  }
}

/**
 * An instance's credentials do not match its provider type's schema. The message names the
 * instance and the fields, never a value.
 */
export class CredentialsFormatError extends Error {
  public override readonly name = 'CredentialsFormatError';
  public readonly instance: string;

  public constructor(instance: string, detail: string, options?: ErrorOptions) {
    super(`instance "${instance}": invalid credentials: ${detail}`, options);
    this.instance = instance;
  }
}
