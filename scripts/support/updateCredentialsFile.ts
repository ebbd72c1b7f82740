import { readFile, rename, stat, writeFile } from 'node:fs/promises';

/**
 * Replaces one instance's entry of a local credentials file (a JSON object keyed by instance
 * name), keeping every other entry and the file's mode: written to a temporary file beside it,
 * then renamed over it, so a crash leaves the old file or the new one, never half of either.
 * `token` calls it when a login rotated the instance's refresh token.
 *
 * @example
 * await updateCredentialsFile('creds.json', 'crm', { clientId: 'app', refreshToken: 'rt-2' });
 */
export async function updateCredentialsFile(
  path: string,
  name: string,
  credentials: unknown,
): Promise<void> {
  const document = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  document[name] = credentials;
  const temporary = `${path}.${process.pid}.tmp`;
  const { mode } = await stat(path);
  await writeFile(temporary, `${JSON.stringify(document, null, 2)}\n`, { mode: mode & 0o777 });
  await rename(temporary, path);
}
