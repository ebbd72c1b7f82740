import { parseArgs } from 'node:util';
import { createRefresherClients, ensureStateTable } from '../../lambdas/refresher/index.ts';
import { readConfigFile } from '../support/readConfigFile.ts';
import { type Command, UsageError } from './Command.ts';

const help = `Usage: token-broker init --config FILE [--kms-key-id KEY]

Creates the broker's state table (the configuration's stateTable, by default derived from
parameterPrefix: /token-broker/dev -> token-broker-dev-state) when it does not exist, and waits
until it is active. The table holds each instance's login lease and last result; refresh and
status need it. A stack deployed with pulumi up already has it: init is for running the broker
without Pulumi (the demo, a local trial). Idempotent: an existing table is left as it is. Prints
the table's name. Needs dynamodb:CreateTable and dynamodb:DescribeTable on the table.

Options:
  --config FILE       the broker configuration (JSON)
  --kms-key-id KEY    a customer-managed KMS key to encrypt the table (default: an AWS owned key)
`;

/** `token-broker init`: creates the state table when it is missing. */
export const initCommand: Command = {
  name: 'init',
  summary: 'create the state table (leases, last results) when it is missing; prints its name',
  help,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { config: { type: 'string' }, 'kms-key-id': { type: 'string' } },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values.config === undefined) throw new UsageError('--config FILE is required');
    const config = await readConfigFile(values.config);
    const kmsKeyId = values['kms-key-id'];
    const created = await ensureStateTable(
      createRefresherClients().dynamodb,
      config.stateTable,
      kmsKeyId === undefined ? {} : { kmsKeyId },
    );
    io.stdout.write(`${config.stateTable}\n`);
    io.stderr.write(
      created
        ? `created state table ${config.stateTable}\n`
        : `state table ${config.stateTable} already exists\n`,
    );
    return 0;
  },
};
