import { UsageError } from '../commands/Command.ts';
import { readOptionFile } from './readOptionFile.ts';

/**
 * Reads a local credentials file: a JSON object keyed by instance name, each value the JSON value
 * that instance's secret would hold. Errors name the file, never its content (a JSON syntax error
 * message would quote it).
 *
 * @returns the raw value for `name` (validate it with `parseCredentials`)
 * @throws {UsageError} when the file is unreadable, not a JSON object, or has no entry for `name`
 */
export async function readCredentialsFile(path: string, name: string): Promise<unknown> {
  const text = await readOptionFile('--credentials', path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--credentials ${path} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--credentials ${path} must be a JSON object keyed by instance name`);
  }
  if (!Object.hasOwn(value, name)) {
    throw new UsageError(`--credentials ${path} has no entry for instance "${name}"`);
  }
  return (value as Record<string, unknown>)[name];
}
