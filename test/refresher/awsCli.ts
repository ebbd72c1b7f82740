import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Reads a parameter back with the Debian AWS CLI (an independent client) from the moto server
 * whose environment is given, decrypted.
 */
export async function awsCliGetParameter(
  name: string,
  env: Readonly<Record<string, string>>,
): Promise<{ Name: string; Type: string; Value: string; Version: number }> {
  const { stdout } = await run(
    '/usr/bin/aws',
    [
      'ssm',
      'get-parameter',
      '--name',
      name,
      '--with-decryption',
      '--output',
      'json',
      '--endpoint-url',
      env.AWS_ENDPOINT_URL ?? '',
    ],
    { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } },
  );
  return (
    JSON.parse(stdout) as {
      Parameter: { Name: string; Type: string; Value: string; Version: number };
    }
  ).Parameter;
}
