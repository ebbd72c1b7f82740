import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useMoto } from '../../support/moto.ts';
import { runCli } from '../../support/runCli.ts';
import { writeTempJson } from '../../support/writeTempJson.ts';

describe('Commands: refresh and status without the state table', () => {
  const moto = useMoto();
  let configFile: string;
  before(async () => {
    configFile = await writeTempJson('broker.json', {
      parameterPrefix: '/token-broker/no-table',
      instances: [
        { name: 'idp', type: 'oauth2-client-credentials', tokenUrl: 'http://127.0.0.1:9/token' },
      ],
    });
  });

  for (const command of ['refresh', 'status']) {
    it(`${command} fails with one line naming the table and how to create it`, async () => {
      // Act
      const run = await runCli([command, '--config', configFile], { env: moto.env });
      // Assess
      assert.equal(run.code, 1, `${run.stdout}${run.stderr}`);
      assert.equal(
        run.stderr,
        `token-broker ${command}: StateTableMissingError: state table token-broker-no-table-state does not exist: deploy the stack, or create it with "token-broker init --config FILE"\n`,
      );
    });
  }

  it('init creates it, prints its name, and then status runs', async () => {
    // Act
    const init = await runCli(['init', '--config', configFile], { env: moto.env });
    const again = await runCli(['init', '--config', configFile], { env: moto.env });
    const status = await runCli(['status', '--config', configFile, '--json'], { env: moto.env });
    // Assess
    assert.equal(init.code, 0, init.stderr);
    assert.equal(init.stdout, 'token-broker-no-table-state\n');
    assert.match(init.stderr, /created state table token-broker-no-table-state/);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /already exists/);
    assert.equal(status.code, 1, 'the token is missing');
    assert.deepEqual(
      (JSON.parse(status.stdout) as { name: string; state: string }[]).map((row) => row.state),
      ['missing'],
    );
  });
});
