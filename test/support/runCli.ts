import { spawn } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../scripts/cli.ts';

const cli = fileURLToPath(new URL('../../scripts/cli.ts', import.meta.url));

/** What a finished CLI run left behind. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** What a CLI run gets besides its arguments. */
export interface CliOptions {
  /** Its standard input (default: empty). */
  readonly input?: string | undefined;
  /** Variables set on top of this process's environment for the run. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A writable stream that keeps what is written to it, as a CLI's stdout or stderr. */
class Collected extends Writable {
  public text = '';

  public override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

/**
 * Runs `token-broker` (scripts/cli.ts's `main`) in this process, as its `bin` does but without a
 * Node.js start: `input` on its stdin, its stdout and stderr collected, and `env` laid over
 * `process.env` for the run (the AWS SDK reads its endpoint and retries there), then restored.
 * Runs must not overlap: tests of a file run one at a time. Use {@link spawnCli} where the process
 * itself is under test (everything it prints, its exit code as a shell sees it).
 */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const overlay = options.env ?? {};
  const saved = Object.fromEntries(Object.keys(overlay).map((key) => [key, process.env[key]]));
  Object.assign(process.env, overlay);
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const stdout = new Collected();
  const stderr = new Collected();
  try {
    const code = await main(args, { stdin, stdout, stderr, env: { ...process.env } });
    return { code, stdout: stdout.text, stderr: stderr.text };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/**
 * Runs `token-broker` (scripts/cli.ts) in a child process with this Node.js, feeding `input` to
 * its standard input, and collects its exit code and output.
 */
export function spawnCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
