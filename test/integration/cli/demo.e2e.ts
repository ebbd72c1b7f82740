import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { spawnCli as runCli } from '../../support/runCli.ts';

const demo = fileURLToPath(new URL('../../../scripts/demo.ts', import.meta.url));
const SECRETS = [
  'demo-password-1',
  'demo-client-secret-2',
  'demo:pässword-3',
  'demo-client-secret-4',
];

/** A running demo and everything it printed so far. */
function startDemo(args: readonly string[] = []) {
  const child = spawn(process.execPath, [demo, ...args], {
    env: { ...process.env, TOKEN_BROKER_PARAMETER_PREFIX: '/token-broker/demo', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output: () => output, exited };
}

async function waitFor(output: () => string, pattern: RegExp, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!pattern.test(output())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`never printed ${pattern}:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The processes whose command line names moto_server on a port. */
async function motoProcesses(port: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
    const command = await readFile(join('/proc', pid, 'cmdline'), 'utf8').catch(() => '');
    const parts = command.split('\0');
    if (command.includes('moto_server') && parts[parts.indexOf('-p') + 1] === port) found.push(pid);
  }
  return found;
}

async function reachable(url: string): Promise<boolean> {
  return fetch(url).then(
    () => true,
    () => false,
  );
}

/** What the demo printed about where its stand-ins and files are. */
function whereabouts(output: string) {
  const endpoint = /AWS_ENDPOINT_URL=(http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
  const folder = /== The configuration \((.+)\/broker\.json\)/.exec(output)?.[1];
  assert.ok(endpoint?.[1] !== undefined && endpoint[2] !== undefined && folder !== undefined);
  return { endpoint: endpoint[1], port: endpoint[2], folder };
}

async function assertNothingLeft(output: string): Promise<void> {
  const { endpoint, port, folder } = whereabouts(output);
  assert.equal(await reachable(`${endpoint}/moto-api/data.json`), false, 'moto is stopped');
  assert.deepEqual(await motoProcesses(port), [], 'no moto_server process is left');
  assert.equal(existsSync(folder), false, `${folder} (credentials.json) is removed`);
}

describe('Script: demo (npm run demo)', () => {
  it('runs the whole workflow, keeps the stand-ins with --keep, and cleans up on SIGTERM', async () => {
    // Act
    const run = startDemo(['--keep']);
    await waitFor(run.output, /Press Ctrl-C to stop them/, run.child);
    const output = run.output();
    const { endpoint, folder } = whereabouts(output);
    const exported = Object.fromEntries(
      [...output.matchAll(/^export (\w+)=(.*)$/gm)].map((match) => [match[1], match[2]]),
    );
    const status = await runCli(['status', '--config', join(folder, 'broker.json')], {
      env: exported,
    });
    run.child.kill('SIGTERM');
    const code = await run.exited;
    // Assess: the workflow
    assert.match(
      output,
      /\$ token-broker put-credentials cw-sandbox --config broker\.json --from-file credentials\.json\ncreated secret \/token-broker\/demo\/cw-sandbox/,
    );
    assert.match(output, /"token": "eyJh….{4} \(\d+ characters, redacted\)"/);
    assert.match(output, /^4 refreshed, 0 skipped, 0 failed$/m);
    assert.match(output, /^cw-sandbox\s+crisisworks\s+fresh\s.*refreshed \d+s ago$/m);
    assert.match(output, /fetchWithToken\('cw-sandbox', '\/api\/json\/ping'\): 200/);
    assert.match(output, /^0 refreshed, 4 skipped, 0 failed$/m);
    assert.match(output, /^token-broker-demo-state$/m, 'init printed the state table');
    assert.match(output, /Logins so far: Crisisworks 1, Code42 3, OAuth2 1\n\n== 7/);
    // Assess: the recovery from a revoked token
    assert.match(
      output,
      /\[refresher\] invoked with \{"names":\["cw-sandbox"\],"force":true,"onDemand":true\}/,
    );
    assert.match(output, /: 200 \{"status":200,"message":"pong"\} with Bearer /);
    assert.match(output, /Refresher invocations: 1; Crisisworks logins: 1 before, 2 after/);
    // Assess: --keep, then SIGTERM
    assert.equal(exported.AWS_ENDPOINT_URL, endpoint);
    assert.equal(exported.TOKEN_BROKER_PARAMETER_PREFIX, '/token-broker/demo');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^cw-sandbox\s+crisisworks\s+fresh/m);
    assert.equal(code, 143);
    assert.match(run.output(), /SIGTERM: stopping the stand-ins/);
    await assertNothingLeft(output);
    // Assess: no secret, and no token in full
    for (const secret of SECRETS)
      assert.ok(!run.output().includes(secret), 'no credential printed');
    assert.doesNotMatch(run.output(), /eyJ[\w-]{20,}\.[\w-]{20,}/, 'no whole JWT printed');
  });

  it('stops moto and the fakes and removes its files on SIGINT mid-run', async () => {
    // Prepare
    const run = startDemo();
    await waitFor(run.output, /== 1\. /, run.child);
    // Act
    run.child.kill('SIGINT');
    const code = await run.exited;
    // Assess
    assert.equal(code, 130);
    await assertNothingLeft(run.output());
  });
});
