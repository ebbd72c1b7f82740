import type { z } from 'zod';

/**
 * Describes schema issues as `field: problem` pairs. Only paths and messages are used, never the
 * offending values, so a description is safe to log even when the input held secrets.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map(
      (issue) => `${issue.path.length > 0 ? formatPath(issue.path) : '(root)'}: ${issue.message}`,
    )
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
