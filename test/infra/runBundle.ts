import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaBundle } from '../../infra/components/bundleLambda.ts';

/** A bundle written to a directory outside the repository, where no node_modules can help it. */
export interface WrittenBundle {
  readonly directory: string;
  /** Runs one export of the bundle in a fresh Node.js process, as Lambda would import it. */
  invoke(
    event: unknown,
    env: Readonly<Record<string, string>>,
    exportName?: string,
  ): Promise<BundleRun>;
  remove(): Promise<void>;
}

/** What one invocation printed and returned. */
export interface BundleRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The handler's return value, or its error's name and message (at INIT or in the handler). */
  readonly outcome:
    | { result: unknown }
    | { error: { name: string; message: string; stack: string } };
}

const RUNNER = `
const [bundle, exportName, eventJson] = process.argv.slice(2);
const context = {
  functionName: 'token-broker-refresher', functionVersion: '$LATEST', memoryLimitInMB: '256',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:token-broker-refresher',
  awsRequestId: 'test-request', logGroupName: 'test', logStreamName: 'test',
  getRemainingTimeInMillis: () => 90_000,
};
try {
  const module = await import(bundle);
  const result = await module[exportName](JSON.parse(eventJson), context);
  console.log('@@OUTCOME ' + JSON.stringify({ result }));
} catch (error) {
  console.log('@@OUTCOME ' + JSON.stringify({ error: { name: error.name, message: error.message, stack: error.stack } }));
  process.exitCode = 1;
}
`;

/** Writes `index.mjs`, its map and a runner into a fresh temporary directory. */
export async function writeBundle(bundle: LambdaBundle): Promise<WrittenBundle> {
  const directory = await mkdtemp(join(tmpdir(), 'token-broker-bundle-'));
  await writeFile(join(directory, 'index.mjs'), bundle.code);
  await writeFile(join(directory, 'index.mjs.map'), bundle.sourceMap);
  await writeFile(join(directory, 'runner.mjs'), RUNNER);
  return {
    directory,
    invoke: (event, env, exportName = 'handler') =>
      new Promise((resolve, reject) => {
        execFile(
          process.execPath,
          [
            '--enable-source-maps',
            join(directory, 'runner.mjs'),
            join(directory, 'index.mjs'),
            exportName,
            JSON.stringify(event),
          ],
          { cwd: directory, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 120_000 },
          (error, stdout, stderr) => {
            const line = stdout.split('\n').find((text) => text.startsWith('@@OUTCOME '));
            if (line === undefined) {
              reject(new Error(`the bundle printed no outcome (${error?.message}): ${stderr}`));
              return;
            }
            resolve({
              exitCode: typeof error?.code === 'number' ? error.code : 0,
              stdout,
              stderr,
              outcome: JSON.parse(line.slice('@@OUTCOME '.length)),
            });
          },
        );
      }),
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}
