import type { Readable, Writable } from 'node:stream';

/** The streams and environment a command runs with; tests pass their own. */
export interface CommandIo {
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
}

/** One `token-broker` subcommand. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  /** Runs the command and resolves to the process exit code. */
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

/** A command-line mistake: printed with the command's usage hint, exit code 2. */
export class UsageError extends Error {
  public override readonly name = 'UsageError';
}
