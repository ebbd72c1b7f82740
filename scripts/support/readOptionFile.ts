import { readFile } from 'node:fs/promises';
import { UsageError } from '../commands/Command.ts';

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
