import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';
import { after, before, beforeEach } from 'node:test';
import { fileURLToPath } from 'node:url';

const python = fileURLToPath(new URL('../../.venv/bin/python', import.meta.url));
const motoServer = fileURLToPath(new URL('../../.venv/bin/moto_server', import.meta.url));
const serialServer = fileURLToPath(new URL('./serialMotoServer.py', import.meta.url));

/**
 * The Unix socket of a running moto fork server (motoForkServer.ts, the test runs' global setup):
 * when set, each moto is forked from it, warm, instead of started and importing moto anew.
 */
export const MOTO_FORK_SERVER_ENV = 'TOKEN_BROKER_MOTO_FORK_SERVER';

/** The moto process behind a {@link Moto}. */
interface MotoProcess {
  readonly port: number;
  /** Why the process ended, once it has (only known for a child of this process). */
  exited(): string | undefined;
  stop(): Promise<void>;
}

/** A running moto server on a free loopback port. */
export interface Moto {
  /** `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  /** The environment an AWS SDK or CLI needs to reach this server. */
  readonly env: Readonly<Record<string, string>>;
  /** Forgets every resource (moto's reset API). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts moto's server (installed into .venv by scripts/setup.sh) on a port of 127.0.0.1 that the
 * server binds itself, with its requests handled one at a time as DynamoDB serialises writes to
 * an item (serialMotoServer.py), and points this process's AWS SDK at it through the standard
 * environment variables.
 */
export async function startMoto(): Promise<Moto> {
  if (!existsSync(motoServer)) throw new Error(`${motoServer} is missing: run scripts/setup.sh`);
  const forkServer = process.env[MOTO_FORK_SERVER_ENV];
  const server = forkServer === undefined ? await spawnMoto() : await forkMoto(forkServer);
  const endpoint = `http://127.0.0.1:${server.port}`;
  await waitUntilReady(endpoint, server);
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  Object.assign(process.env, env);
  return {
    endpoint,
    env,
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
    },
    stop: () => server.stop(),
  };
}

/** Starts serialMotoServer.py as a child of this process. */
async function spawnMoto(): Promise<MotoProcess> {
  const child = spawn(python, [serialServer, '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const port = await boundPort(child, () => stderr);
  return {
    port,
    exited: () => (child.exitCode === null ? undefined : `moto_server exited: ${stderr}`),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Asks the fork server for a warm moto server; it is not this process's child. */
async function forkMoto(socketPath: string): Promise<MotoProcess> {
  const connection = createConnection(socketPath);
  const lines = createInterface({ input: connection });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(connection, 'error').then(([error]) => {
      throw new Error(`the moto fork server at ${socketPath} did not answer: ${error}`);
    }),
  ])) as [string];
  connection.destroy();
  const [pid, port] = line.split(' ').map(Number);
  if (pid === undefined || port === undefined || !(pid > 0 && port > 0)) {
    throw new Error(`the moto fork server answered ${JSON.stringify(line)}`);
  }
  return {
    port,
    exited: () => undefined,
    stop: async () => {
      if (!isRunning(pid)) return;
      process.kill(pid, 'SIGTERM');
      const deadline = Date.now() + 10_000;
      while (isRunning(pid) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The port the server printed as its first line once it had bound it. */
function boundPort(child: ChildProcess, stderr: () => string): Promise<number> {
  const stdout = child.stdout;
  if (stdout === null) throw new Error('moto_server has no stdout');
  const lines = createInterface({ input: stdout });
  return new Promise<number>((resolve, reject) => {
    const onExit = () => reject(new Error(`moto_server exited: ${stderr()}`));
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      lines.close();
      stdout.resume();
      const port = Number(line);
      if (Number.isInteger(port) && port > 0) resolve(port);
      else reject(new Error(`moto_server printed ${JSON.stringify(line)} instead of its port`));
    });
  });
}

async function waitUntilReady(endpoint: string, server: MotoProcess) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const exited = server.exited();
    if (exited !== undefined) throw new Error(exited);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.stop();
  throw new Error('moto_server did not start within 30 s');
}

/** What {@link useMoto} does around the tests of a suite besides starting and stopping moto. */
export interface UseMotoOptions {
  /** Forget every resource before each test (moto's reset API). Default: false. */
  readonly resetEach?: boolean;
  /** Run after moto starts and after every reset, such as creating the state table. */
  readonly prepare?: () => Promise<void>;
}

/**
 * Starts moto for the enclosing `describe` (its `before` hook), stops it afterwards, and, with
 * `resetEach`, resets it before each test; `prepare` runs after the start and every reset. The
 * returned handle is usable inside hooks and tests.
 *
 * @example
 * const moto = useMoto({ resetEach: true, prepare: createStateTable });
 */
export function useMoto(options: UseMotoOptions = {}): Moto {
  let started: Moto | undefined;
  const current = (): Moto => {
    if (started === undefined) throw new Error('moto runs only inside the suite’s hooks and tests');
    return started;
  };
  before(async () => {
    started = await startMoto();
    await options.prepare?.();
  });
  after(async () => {
    await started?.stop();
  });
  if (options.resetEach === true) {
    beforeEach(async () => {
      await current().reset();
      await options.prepare?.();
    });
  }
  return {
    get endpoint() {
      return current().endpoint;
    },
    get env() {
      return current().env;
    },
    reset: () => current().reset(),
    stop: () => current().stop(),
  };
}
