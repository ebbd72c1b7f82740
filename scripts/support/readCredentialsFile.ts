import { isRecord } from '../../lambdas/config/index.ts';
import { UsageError } from '../commands/Command.ts';
import { readOptionFile } from './readOptionFile.ts';

/**
 * Reads a local credentials file: a JSON object keyed by instance name, each value the JSON value
 * that instance's secret would hold. Errors name the option and the file, never its content (a
 * JSON syntax error message would quote it).
 *
 * @example
 * const raw = await readCredentialsFile('--credentials', 'credentials.json', 'cw-sandbox');
 * @param option - the option that named the file, such as `--credentials`, for the messages
 * @returns the raw value for `name` (validate it with `parseCredentials`)
 * @throws {UsageError} when the file is unreadable, not a JSON object, or has no entry for `name`
 */
export async function readCredentialsFile(
  option: string,
  path: string,
  name: string,
): Promise<unknown> {
  const text = await readOptionFile(option, path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${option} ${path} is not valid JSON`);
  }
  if (!isRecord(value)) {
    throw new UsageError(`${option} ${path} must be a JSON object keyed by instance name`);
  }
  if (!Object.hasOwn(value, name)) {
    throw new UsageError(`${option} ${path} has no entry for instance "${name}"`);
  }
  return value[name];
}
