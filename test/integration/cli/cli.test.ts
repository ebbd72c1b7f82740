import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { runCli, spawnCli } from '../../support/runCli.ts';
import { writeTempJson } from '../../support/writeTempJson.ts';

const VALID_CONFIG = {
  parameterPrefix: '/token-broker/test',
  instances: [
    { name: 'idp', type: 'oauth2-client-credentials', tokenUrl: 'https://idp.example.org/t' },
  ],
};

describe('Program: token-broker', () => {
  for (const flag of ['--version', '-V']) {
    it(`prints the package version with ${flag}`, async () => {
      // Prepare
      const { version } = JSON.parse(
        await readFile(new URL('../../../package.json', import.meta.url), 'utf8'),
      );
      // Act
      const run = await runCli([flag]);
      // Assess
      assert.equal(run.code, 0);
      assert.equal(run.stdout, `token-broker ${version}\n`);
    });
  }

  it('runs as a program: its exit code and output reach the shell', async () => {
    // Act
    const run = await spawnCli(['refersh']);
    // Assess
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^token-broker: unknown command "refersh"/);
  });

  it('exits 2 suggesting the command an unknown one resembles', async () => {
    // Act
    const run = await runCli(['refersh', '--config', 'x.json']);
    // Assess
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^token-broker: unknown command "refersh" \(did you mean "refresh"\?\)\n/,
    );
  });

  it('exits 2 without a hint for a command that resembles none', async () => {
    // Act
    const run = await runCli(['launch']);
    // Assess
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^token-broker: unknown command "launch"\nUsage:/);
  });

  it('exits 2 and lists the commands without arguments', async () => {
    // Act
    const run = await runCli([]);
    // Assess
    assert.equal(run.code, 2);
    assert.match(run.stdout, /^Usage: token-broker <command>/);
    assert.match(run.stdout, /--version \(-V\)/);
    assert.match(run.stdout, /Exit codes: 0 done; 1 the work failed .*\n2 a usage mistake/);
  });

  describe('a --config file that is missing or invalid is a usage mistake', () => {
    const cases: [string, () => Promise<string>, RegExp][] = [
      [
        'missing',
        async () => '/nonexistent/broker.json',
        /cannot read --config \/nonexistent\/broker\.json: ENOENT/,
      ],
      [
        'not JSON',
        async () => {
          const path = await writeTempJson('broker.json', {});
          await writeFile(path, '{"parameterPrefix": ');
          return path;
        },
        /invalid token-broker configuration \(.*broker\.json\): not valid JSON/,
      ],
      [
        'invalid',
        () =>
          writeTempJson('broker.json', {
            ...VALID_CONFIG,
            instances: [{ ...VALID_CONFIG.instances[0], tokenurl: 'https://x.example.org' }],
          }),
        /invalid token-broker configuration \(.*broker\.json\): .*instances\[0\]: Unrecognized key: "tokenurl" \(did you mean "tokenUrl"\?\)/,
      ],
    ];
    for (const command of [
      ['token', 'idp', '--credentials', '/nonexistent/k.json'],
      ['put-credentials', 'idp'],
      ['status'],
      ['refresh'],
    ]) {
      for (const [what, file, message] of cases) {
        it(`${command[0]} exits 2 when the file is ${what}`, async () => {
          // Act
          const run = await runCli([...command, '--config', await file()], {
            env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' },
          });
          // Assess
          assert.equal(run.code, 2, run.stderr);
          assert.match(run.stderr, message);
          assert.match(run.stderr, new RegExp(`Run "token-broker ${command[0]} --help"\\.\\n$`));
        });
      }
    }
  });
});
