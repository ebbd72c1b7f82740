import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { isRecord } from '../../lambdas/config/index.ts';
import { UsageError } from '../commands/Command.ts';

/**
 * What the CLI reads besides its arguments: the files options name, standard input, and the
 * credentials file. Errors name the option and the file, never their content.
 */

/**
 * Reads the file a command-line option names, as UTF-8.
 *
 * @param option - the option, such as `--config`, for the error message
 * @throws {UsageError} naming the option, the file and the system's error code (never content)
 */
export async function readOptionFile(option: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new UsageError(`cannot read ${option} ${path}: ${code}`);
  }
}

/** Reads a stream to its end as UTF-8, refusing more than `maxBytes`. */
export async function readAll(input: Readable, maxBytes = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes) throw new Error(`standard input is larger than ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

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
