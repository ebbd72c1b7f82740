import { type BrokerConfig, brokerConfigSchema } from './brokerConfig.ts';
import { ConfigError, describeIssues } from './errors.ts';

/**
 * Validates a broker configuration document.
 *
 * @param value - the parsed document
 * @param source - where it came from (a file name, an environment variable), for the error message
 * @throws {ConfigError} naming every bad field
 */
export function parseBrokerConfig(value: unknown, source: string): BrokerConfig {
  const result = brokerConfigSchema.safeParse(value);
  if (!result.success) {
    const detail = describeIssues(result.error.issues, { schema: brokerConfigSchema, value });
    throw new ConfigError(source, detail);
  }
  return result.data;
}

/**
 * Parses and validates the JSON text of a broker configuration document.
 *
 * @throws {ConfigError} when the text is not JSON or a field is invalid
 */
export function parseBrokerConfigJson(text: string, source: string): BrokerConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(source, `not valid JSON (${(error as Error).message})`);
  }
  return parseBrokerConfig(value, source);
}
