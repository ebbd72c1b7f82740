import type { z } from 'zod';
import { closestMatch } from './closestMatch.ts';
import { knownKeysAt } from './knownKeysAt.ts';

/** How {@link describeIssues} words its issues. */
export interface DescribeIssuesOptions {
  /**
   * Name unknown keys (`Unrecognized key: "x"`), or only count them (`1 unrecognised field(s)`),
   * as for credentials, where a key may be a secret pasted in the wrong place. Default true.
   */
  readonly nameUnknownKeys?: boolean;
  /**
   * With the schema and the value it rejected, an unknown key that looks like a known one gets
   * `(did you mean "baseUrl"?)`, which names the known key only.
   */
  readonly schema?: z.ZodType;
  readonly value?: unknown;
}

/**
 * Describes schema issues as `field: problem` pairs. Only paths, messages and (unless counted)
 * key names are used, never the offending values, so a description is safe to log even when the
 * input held secrets.
 *
 * @example
 * describeIssues(result.error.issues, { nameUnknownKeys: false }); // => '(root): 1 unrecognised field(s)'
 * describeIssues(result.error.issues, { schema, value }); // => 'instances[0]: Unrecognized key: "baseurl" (did you mean "baseUrl"?)'
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  options: DescribeIssuesOptions = {},
): string {
  return issues
    .map((issue) => {
      const where = formatIssuePath(issue.path);
      const problem =
        issue.code === 'unrecognized_keys' && options.nameUnknownKeys === false
          ? `${issue.keys.length} unrecognised field(s)${suggestion(issue, options)}`
          : `${issue.message}${suggestion(issue, options)}`;
      return `${where}: ${problem}`;
    })
    .join('; ');
}

function suggestion(issue: z.core.$ZodIssue, options: DescribeIssuesOptions): string {
  if (issue.code !== 'unrecognized_keys' || options.schema === undefined) return '';
  const known = knownKeysAt(options.schema, options.value, issue.path);
  const hints = issue.keys.flatMap((key) => {
    const match = closestMatch(key, known);
    return match === undefined ? [] : [`"${match}"`];
  });
  return hints.length === 0 ? '' : ` (did you mean ${hints.join(', ')}?)`;
}

/**
 * A schema issue's path as messages name it; `(root)` for the document itself.
 *
 * @example
 * formatIssuePath(['instances', 0, 'baseUrl']); // => 'instances[0].baseUrl'
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index > 0 ? '.' : ''}${String(part)}`,
    )
    .join('');
}

/**
 * A thrown value in one phrase: an error's name and message (never its cause or stack), else the
 * value as text.
 *
 * @example
 * describeThrown(new TypeError('bad thing')); // => 'TypeError: bad thing'
 */
export function describeThrown(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
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
