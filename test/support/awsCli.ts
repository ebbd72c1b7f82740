import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Moto } from './moto.ts';

/** Where the CLI sends its requests: moto, or a front such as the quota front. */
export type AwsCliTarget = Pick<Moto, 'endpoint' | 'env'>;

/**
 * Runs Debian's AWS CLI (an independent reference client) against the moto server (or a front of
 * it) and parses its JSON output. The endpoint is passed as `--endpoint-url`: the Debian build
 * predates `AWS_ENDPOINT_URL`.
 */
export async function awsCli(moto: AwsCliTarget, args: readonly string[]): Promise<unknown> {
  const { stdout } = await promisify(execFile)(
    '/usr/bin/aws',
    [...args, '--endpoint-url', moto.endpoint, '--output', 'json'],
    { env: { ...process.env, ...moto.env } },
  );
  return JSON.parse(stdout);
}

/** A parameter as `aws ssm get-parameter --with-decryption` prints it. */
export interface AwsCliParameter {
  readonly Name: string;
  readonly Type: string;
  readonly Value: string;
  readonly Version: number;
}

/** Reads a parameter back, decrypted, with the AWS CLI. */
export async function awsCliGetParameter(moto: Moto, name: string): Promise<AwsCliParameter> {
  const output = (await awsCli(moto, [
    'ssm',
    'get-parameter',
    '--name',
    name,
    '--with-decryption',
  ])) as {
    Parameter: AwsCliParameter;
  };
  return output.Parameter;
}
