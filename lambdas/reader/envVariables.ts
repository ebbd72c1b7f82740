import { ReaderConfigurationError } from './errors.ts';

/**
 * Reads an optional string environment variable. Unset and empty both mean "not set".
 *
 * @example
 * ```ts
 * const prefix = getStringFromEnv(ReaderEnvironment.parameterPrefix);
 * ```
 */
export function getStringFromEnv(key: string): string | undefined {
  const value = process.env[key]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Reads an optional duration in whole or fractional seconds, failing loudly on anything that is
 * not a finite number ≥ 0, rather than silently falling back to the default.
 *
 * @example
 * ```ts
 * const minValidity = getSecondsFromEnv(ReaderEnvironment.minValiditySeconds) ?? 60;
 * ```
 * @throws {ReaderConfigurationError} when the variable is set to something else
 */
export function getSecondsFromEnv(key: string): number | undefined {
  const text = getStringFromEnv(key);
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new ReaderConfigurationError(
      `environment variable ${key} must be a number of seconds ≥ 0, got "${text}"`,
    );
  }
  return seconds;
}
