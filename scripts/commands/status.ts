import { parseArgs } from 'node:util';
import {
  createRefresherClients,
  readTokenMetadata,
  StateTable,
} from '../../lambdas/refresher/index.ts';
import { readConfigFile } from '../support/readConfigFile.ts';
import { renderStatusTable } from '../support/renderStatusTable.ts';
import { classifyToken, UNUSABLE_STATES } from '../support/tokenState.ts';
import { type Command, UsageError } from './Command.ts';

const help = `Usage: token-broker status --config FILE [--json]

Shows every configured instance's stored token: provider, state (fresh, due, expired, missing,
unreadable, pending), time until expiry, when the refresher replaces it, its age, and the
refresher's last result from the instance's refresh record in the state table (stateTable):
"refreshed 3m ago", "failed 2m ago: REASON" or "pending 1m ago: REASON" (its credentials secret
has no value yet); skipped and deferred runs are not results. Tokens are never printed. AWS is reached
through the standard SDK environment (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...).

Exit code 1 when any token is missing, pending, expired or unreadable, so scripts and checks can
use it. Needs ssm:GetParameters (with decryption) on the token parameters and
dynamodb:BatchGetItem on the state table.

Options:
  --config FILE   the broker configuration (JSON)
  --json          one JSON array instead of the table (for scripts); lastResult is
                  { outcome, at, reason? } when recorded
`;

/** `token-broker status`: a table (or JSON) of every instance's stored token. */
export const statusCommand: Command = {
  name: 'status',
  summary: 'show every stored token: state, expiry, refresh time, age (exit 1 if any is unusable)',
  help,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { config: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values.config === undefined) throw new UsageError('--config FILE is required');
    const config = await readConfigFile(values.config);
    const now = Date.now();
    const { ssm, dynamodb } = createRefresherClients();
    const table = new StateTable({ dynamodb, tableName: config.stateTable, now: Date.now });
    const [tokens, records] = await Promise.all([
      readTokenMetadata(config, { ssm }),
      table.readRecords(config.instances.map((instance) => instance.name)),
    ]);
    const rows = tokens.map((metadata) =>
      classifyToken(metadata, now, records.get(metadata.name)?.lastResult),
    );
    if (values.json) {
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      const colour = io.stdout.isTTY === true && io.env.NO_COLOR === undefined;
      io.stdout.write(renderStatusTable(rows, now, colour));
    }
    return rows.some((row) => UNUSABLE_STATES.has(row.state)) ? 1 : 0;
  },
};
