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

/**
 * Reads parameters back, decrypted, with one AWS CLI run (`get-parameters`, at most 10 names),
 * by name; a name SSM does not know is missing from the map.
 */
export async function awsCliGetParameters(
  moto: Moto,
  names: readonly string[],
): Promise<ReadonlyMap<string, AwsCliParameter>> {
  const output = (await awsCli(moto, [
    'ssm',
    'get-parameters',
    '--names',
    ...names,
    '--with-decryption',
  ])) as { Parameters: AwsCliParameter[] };
  return new Map(output.Parameters.map((parameter) => [parameter.Name, parameter]));
}
