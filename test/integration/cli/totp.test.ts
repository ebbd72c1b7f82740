import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { randomTotpSeed } from '../../fakes/index.ts';
import { runCli } from '../../support/runCli.ts';

function oathtool(seed: string): string {
  return execFileSync('/usr/bin/oathtool', ['--totp', '-b', seed], { encoding: 'utf8' }).trim();
}

/** Runs `token-broker totp` with a seed on stdin and oathtool around it (a step may change). */
async function codeAndOathtool(input: string, seed: string) {
  const before = oathtool(seed);
  const run = await runCli(['totp'], { input });
  const after = oathtool(seed);
  return { run, expected: [`${before}\n`, `${after}\n`] };
}

describe('Command: totp', () => {
  it('prints the code oathtool --totp -b prints for the seed on stdin', async () => {
    // Prepare
    const seed = randomTotpSeed();
    // Act
    const { run, expected } = await codeAndOathtool(`${seed}\n`, seed);
    // Assess
    assert.equal(run.code, 0, run.stderr);
    assert.ok(expected.includes(run.stdout), `${run.stdout} not in ${expected}`);
    assert.equal(run.stderr, '');
  });

  it('accepts a seed in lower case with spaces and CRLF, and reads only the first line', async () => {
    // Prepare
    const seed = randomTotpSeed();
    const written = `${seed.toLowerCase().replace(/(.{4})/g, '$1 ')}\r\nsecond line\n`;
    // Act
    const { run, expected } = await codeAndOathtool(written, seed);
    // Assess
    assert.equal(run.code, 0, run.stderr);
    assert.ok(expected.includes(run.stdout));
  });

  it('exits 1 with InvalidTotpSeedError, without echoing it, when the seed is not base32', async () => {
    // Act
    const run = await runCli(['totp'], { input: 'NOT-BASE32-SEED-0189\n' });
    // Assess
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      'token-broker totp: InvalidTotpSeedError: the TOTP seed is not base32 (only letters A-Z and digits 2-7 are allowed)\n',
    );
  });

  it('exits 1 when stdin is empty', async () => {
    // Act
    const run = await runCli(['totp'], { input: '' });
    // Assess
    assert.equal(run.code, 1);
    assert.match(run.stderr, /InvalidTotpSeedError: the TOTP seed is empty/);
  });

  it('exits 2 and does not echo a seed given on the command line', async () => {
    // Prepare
    const seed = randomTotpSeed();
    // Act
    const run = await runCli(['totp', seed], { input: `${seed}\n` });
    // Assess
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /the seed is read from standard input, never from the command line/);
    assert.ok(!run.stderr.includes(seed));
  });

  it('exits 2 and does not echo the value of an unknown --seed option', async () => {
    // Prepare
    const seed = randomTotpSeed();
    // Act
    const run = await runCli(['totp', `--seed=${seed}`]);
    // Assess
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Unknown option '--seed'/);
    assert.ok(!run.stderr.includes(seed));
  });

  it('prints its help with --help', async () => {
    // Act
    const run = await runCli(['totp', '--help']);
    // Assess
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: token-broker totp < SEED_FILE/);
    assert.match(run.stdout, /never taken from the command line/);
  });

  it('asks for the seed on a terminal without echoing it', async () => {
    // Prepare: `script` gives the CLI a real pseudo-terminal.
    const seed = randomTotpSeed();
    const cli = fileURLToPath(new URL('../../../scripts/cli.ts', import.meta.url));
    const child = spawn(
      '/usr/bin/script',
      ['-qec', `${process.execPath} ${cli} totp`, '/dev/null'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let screen = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      screen += chunk;
    });
    // Act
    while (!screen.includes('TOTP seed (base32): ')) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const before = oathtool(seed);
    child.stdin.write(`${seed}\r`);
    const code = await new Promise((resolve) => child.on('close', resolve));
    const after = oathtool(seed);
    child.stdin.destroy();
    // Assess
    assert.equal(code, 0, screen);
    assert.ok(!screen.includes(seed), 'the seed is not echoed');
    assert.ok(screen.includes(before) || screen.includes(after), screen);
  });
});
