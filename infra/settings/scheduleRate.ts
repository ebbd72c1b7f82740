const RATE = /^(?:rate\()?\s*(\d{1,4})\s+(minute|minutes|hour|hours)\s*\)?$/;

/** The shortest and longest schedule rates accepted, in seconds. */
export const scheduleRateLimits = { minSeconds: 60, maxSeconds: 12 * 3600 } as const;

/**
 * Parses a schedule rate such as `5 minutes`, `1 hour` or `rate(10 minutes)` into seconds.
 *
 * @returns the seconds, or `undefined` when the text is not a rate
 * @example
 * parseScheduleRate('rate(2 hours)'); // => 7200
 */
export function parseScheduleRate(text: string): number | undefined {
  const match = RATE.exec(text.trim());
  if (match === null) return undefined;
  const [, count, unit] = match;
  const value = Number(count);
  if (value < 1) return undefined;
  if ((value === 1) !== (unit === 'minute' || unit === 'hour')) return undefined;
  return value * (unit?.startsWith('hour') ? 3600 : 60);
}

/**
 * The EventBridge Scheduler expression for a number of seconds (a whole number of minutes).
 *
 * @example
 * scheduleExpression(300); // => 'rate(5 minutes)'
 */
export function scheduleExpression(seconds: number): string {
  const minutes = seconds / 60;
  return `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
}
