import type { z } from 'zod';

/** How {@link describeIssues} words its issues. */
export interface DescribeIssuesOptions {
  /**
   * Name unknown keys (`Unrecognized key: "x"`), or only count them (`1 unrecognised field(s)`),
   * as for credentials, where a key may be a secret pasted in the wrong place. Default true.
   */
  readonly nameUnknownKeys?: boolean;
}

/**
 * Describes schema issues as `field: problem` pairs. Only paths and messages are used, never the
 * offending values, so a description is safe to log even when the input held secrets.
 *
 * @example
 * describeIssues(result.error.issues, { nameUnknownKeys: false }); // => '(root): 1 unrecognised field(s)'
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  options: DescribeIssuesOptions = {},
): string {
  return issues
    .map((issue) => {
      const where = issue.path.length > 0 ? formatPath(issue.path) : '(root)';
      const problem =
        issue.code === 'unrecognized_keys' && options.nameUnknownKeys === false
          ? `${issue.keys.length} unrecognised field(s)`
          : issue.message;
      return `${where}: ${problem}`;
    })
    .join('; ');
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
