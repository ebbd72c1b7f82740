import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Moto } from './moto.ts';

/**
 * Runs Debian's AWS CLI (an independent reference client) against the moto server and parses its
 * JSON output. The endpoint is passed as `--endpoint-url`: the Debian build predates
 * `AWS_ENDPOINT_URL`.
 */
export async function awsCli(moto: Moto, args: readonly string[]): Promise<unknown> {
  const { stdout } = await promisify(execFile)(
    '/usr/bin/aws',
    [...args, '--endpoint-url', moto.endpoint, '--output', 'json'],
    { env: { ...process.env, ...moto.env } },
  );
  return JSON.parse(stdout);
}
