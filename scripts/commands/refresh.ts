import { parseArgs } from 'node:util';
import type { InstanceResult } from '../../lambdas/refresher/index.ts';
import { RefreshEventError, runRefreshCycle } from '../../lambdas/refresher/index.ts';
import { readConfigFile } from '../support/readConfigFile.ts';
import { type Command, type CommandIo, UsageError } from './Command.ts';

const help = `Usage: token-broker refresh --config FILE [--only NAME ...] [--force] [--kms-key-id KEY]

Runs the refresher's cycle once, from this machine: for each instance whose stored token is
missing, unreadable, expired or due before the next scheduled run (or every selected instance with
--force), reads its credentials from Secrets Manager, logs in, and publishes the token envelope to
its SSM parameter (one PutParameter per token, paced below Parameter Store's quota). An instance
another run is logging in to is skipped; one logged in to with a TOTP code less than a TOTP step
(30 s) ago is skipped, or with --force waited for. An instance whose secret has no value yet is
pending, not failed. Each attempt's result is recorded in the state table (stateTable) for
"token-broker status"; the table must exist ("token-broker init" creates it). Prints one line per
instance as it finishes. Exits 1 when any instance failed. AWS is reached through the standard SDK
environment (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...).

Options:
  --config FILE       the broker configuration (JSON)
  --only NAME         only this instance (repeat for several)
  --force             log in even when the stored token is fresh
  --kms-key-id KEY    KMS key for the token parameters (as the deployed refresher uses)
`;

const MARKS = { refreshed: '✓', skipped: '-', failed: '✗', deferred: '…', pending: '○' } as const;

function progressLine(result: InstanceResult, width: number): string {
  const detail =
    result.outcome === 'refreshed' ? `expires ${result.expiresAt ?? '?'}` : (result.reason ?? '');
  return `${MARKS[result.outcome]} ${result.name.padEnd(width)}  ${result.outcome.padEnd(9)}  ${detail}\n`;
}

function readOptions(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      config: { type: 'string' },
      only: { type: 'string', multiple: true },
      force: { type: 'boolean', default: false },
      'kms-key-id': { type: 'string' },
    },
  }).values;
}

/** `token-broker refresh`: the refresh cycle, run locally with a progress line per instance. */
export const refreshCommand: Command = {
  name: 'refresh',
  summary: 'log in to due instances and publish their tokens to SSM, once, from here',
  help,
  async run(args: readonly string[], io: CommandIo): Promise<number> {
    const values = readOptions(args);
    if (values.config === undefined) throw new UsageError('--config FILE is required');
    const config = await readConfigFile(values.config);
    const width = Math.max(...config.instances.map((instance) => instance.name.length));
    let summary: Awaited<ReturnType<typeof runRefreshCycle>>;
    try {
      summary = await runRefreshCycle(config, {
        ...(values.only === undefined ? {} : { names: values.only }),
        force: values.force,
        ...(values['kms-key-id'] === undefined ? {} : { kmsKeyId: values['kms-key-id'] }),
        onResult: (result) => io.stdout.write(progressLine(result, width)),
      });
    } catch (error) {
      if (error instanceof RefreshEventError) throw new UsageError(`--only: ${error.message}`);
      throw error;
    }
    const count = (outcome: InstanceResult['outcome']) =>
      summary.results.filter((result) => result.outcome === outcome).length;
    const optional = (['deferred', 'pending'] as const)
      .filter((outcome) => count(outcome) > 0)
      .map((outcome) => `, ${count(outcome)} ${outcome}`)
      .join('');
    io.stdout.write(
      `${count('refreshed')} refreshed, ${count('skipped')} skipped, ${count('failed')} failed${optional}\n`,
    );
    return count('failed') > 0 ? 1 : 0;
  },
};
