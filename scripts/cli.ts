#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { packageFile } from '../infra/components/packageRoot.ts';
import { closestMatch, describeThrown } from '../lambdas/config/index.ts';
import type { Command, CommandIo } from './commands/Command.ts';
import { UsageError } from './commands/Command.ts';
import { commands } from './commands/index.ts';

function overview(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: token-broker <command> [options]',
    '',
    'Options: --help (-h), --version (-V)',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run "token-broker <command> --help" for a command\'s options.',
    'Exit codes: 0 done; 1 the work failed (the last stderr line says which instance and why);',
    '2 a usage mistake, including a missing or invalid --config, --credentials or --from-file file.',
    '',
  ].join('\n');
}

/** The version in token-broker's package.json. */
function version(): string {
  const manifest = JSON.parse(readFileSync(packageFile('package.json'), 'utf8'));
  return String(manifest.version);
}

/** ` (did you mean "x"?)` when `word` looks like one of `candidates`, else nothing. */
function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}

/**
 * parseArgs's message for an unknown option, shortened, with the command's option it most likely
 * meant (from its help). Only the option's name is quoted, never a value given with it.
 */
function describeParseArgsError(error: Error, command: Command): string {
  const unknown = /^Unknown option '(--?[^'=\s]+)'/.exec(error.message)?.[1];
  if (unknown === undefined) return error.message;
  const options = [...new Set(command.help.match(/--[a-z][a-z-]*/g) ?? [])];
  return `Unknown option '${unknown}'${didYouMean(unknown, options)}`;
}

/**
 * Runs the token-broker CLI and resolves to its exit code: 0 on success, 1 when the work failed
 * (with a one-line reason on stderr), 2 on a usage mistake (a wrong command or option, or a
 * missing or invalid --config or --credentials file).
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), { stdin, stdout, stderr, env: process.env });
 */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`token-broker ${version()}\n`);
    return 0;
  }
  const command: Command | undefined = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    const hint = didYouMean(
      name,
      commands.map((candidate) => candidate.name),
    );
    io.stderr.write(`token-broker: unknown command "${name}"${hint}\n${overview()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(command.help);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      const message =
        error instanceof UsageError ? error.message : describeParseArgsError(error, command);
      io.stderr.write(`token-broker ${name}: ${message}\nRun "token-broker ${name} --help".\n`);
      return 2;
    }
    io.stderr.write(`token-broker ${name}: ${oneLine(error)}\n`);
    return 1;
  }
}

/** node:util parseArgs rejects unknown or malformed options with these codes. */
function isParseArgsError(error: unknown): error is Error {
  return (
    error instanceof Error &&
    String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')
  );
}

function oneLine(error: unknown): string {
  return describeThrown(error).replace(/\s*\n\s*/g, ' ');
}

/**
 * Whether this module is the program being run (also through npm's `bin` symlink). Node.js 22
 * releases before 22.18 lack `import.meta.main`: there the script path is compared instead.
 */
function isProgramEntry(): boolean {
  if (typeof import.meta.main === 'boolean') return import.meta.main;
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === fileURLToPath(import.meta.url);
}

if (isProgramEntry()) {
  process.exitCode = await main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}
