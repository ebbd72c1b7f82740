import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MOTO_FORK_SERVER_ENV } from './moto.ts';

/**
 * The test runs' global setup (`--test-global-setup`): starts one moto fork server
 * (serialMotoServer.py --fork-server), which imports moto and builds its backends once, and
 * names its socket in the environment every test file inherits, so that each `startMoto()` forks
 * a warm server instead of starting Python and importing moto again (about 1.5 s of CPU each).
 */
let server: ChildProcess | undefined;
let directory: string | undefined;

const python = fileURLToPath(new URL('../../.venv/bin/python', import.meta.url));
const serialServer = fileURLToPath(new URL('./serialMotoServer.py', import.meta.url));

export async function globalSetup(): Promise<void> {
  directory = await mkdtemp(join(tmpdir(), 'token-broker-moto-'));
  const socket = join(directory, 'fork.sock');
  const child = spawn(python, [serialServer, '--fork-server', socket], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  server = child;
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the moto fork server exited (${code}) before it was ready`);
    }),
  ])) as [string];
  lines.close();
  child.stdout.resume();
  if (line !== 'ready') throw new Error(`the moto fork server printed ${JSON.stringify(line)}`);
  process.env[MOTO_FORK_SERVER_ENV] = socket;
}

export async function globalTeardown(): Promise<void> {
  if (server !== undefined && server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
}
