/**
 * Whether an AWS SDK error is of the named exception. Compares names rather than classes, so
 * errors from another copy of the SDK (a bundle, a mock) are recognised too.
 */
export function hasErrorName(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
