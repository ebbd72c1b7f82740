const MAX_REASON_LENGTH = 500;

/**
 * A one-line reason for a failure, safe to log and return: the error's name and message only
 * (never its cause, request or response), newlines folded, length capped.
 *
 * @param error - anything that was thrown
 */
export function describeError(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : 'a non-Error value was thrown';
  const line = text.replace(/\s*\n\s*/g, ' ');
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH - 1)}…` : line;
}
