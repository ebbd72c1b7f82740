import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a value as JSON to a new file in a fresh temporary folder and returns its path. */
export async function writeTempJson(fileName: string, value: unknown): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'token-broker-'));
  const path = join(folder, fileName);
  await writeFile(path, JSON.stringify(value, null, 2));
  return path;
}
