import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SSMClient } from '@aws-sdk/client-ssm';
import { PENDING_TOKEN_VALUE } from '../../../lambdas/reader/contract/envelope.ts';
import { useMoto } from '../../support/moto.ts';
import { makeEnvelope, publish, TEST_PREFIX } from './fixtures.ts';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = join(repo, 'node_modules/typescript/bin/tsc');

/**
 * This process's environment without npm's variables (`npm_config_*` and the like, set when the
 * tests run through `npm run`), which would point a nested npm at this repository.
 */
const npmEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
);

/** Installed packages a downstream Lambda must not get: token-broker's deployment tooling. */
const TOOLING = /(^|\/)node_modules\/(@pulumi\/|@opentelemetry\/|@esbuild\/|esbuild$|protobufjs$)/;

/** The AWS SDK clients and the reader come to about 13.5 MB; the whole token-broker to 218 MB. */
const MAX_INSTALLED_BYTES = 30_000_000;

/** A downstream Lambda's module: reads at INIT with top-level await, through `specifier`. */
const handler = (specifier: string) => `
import { getToken, TokenNotFoundError, TokenNotPublishedError } from '${specifier}';

const envelope = await getToken('cw-sandbox');
const failure = await getToken('pending').catch((error) => error);

console.log(JSON.stringify({
  name: envelope.name,
  authorization: envelope.tokenType + ' ' + envelope.token,
  pendingIsNotFound: failure instanceof TokenNotFoundError && failure instanceof TokenNotPublishedError,
}));
`;

/** The same use, type-checked against the package's declarations. */
const TYPED = `
import { getToken, TokenReader, type TokenEnvelope } from '@token-broker/reader';

const reader = new TokenReader({ parameterPrefix: '/token-broker/dev', minValiditySeconds: 120 });
const envelope: TokenEnvelope = await getToken('cw-sandbox', { forceFetch: true });
const headers: Record<string, string> = await reader.authorizationHeaders(envelope.name);
export const response: Response = await reader.fetchWithToken('cw-sandbox', '/api', { headers });
`;

/** A scratch downstream package in `directory`, with `files` beside its package.json. */
async function writePackage(directory: string, files: Record<string, string>): Promise<void> {
  await mkdir(join(directory, 'node_modules'), { recursive: true });
  const manifest = { name: 'downstream', private: true, type: 'module' };
  await writeFile(join(directory, 'package.json'), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) await writeFile(join(directory, name), text);
}

/** Packs the reader workspace into `work` (its prepack builds dist/) and installs it in a scratch package. */
async function installPackedReader(work: string): Promise<{ scratch: string; tarball: string }> {
  const packed = await run(
    'npm',
    ['pack', '--workspace', '@token-broker/reader', '--pack-destination', work, '--json'],
    { cwd: repo, env: npmEnv },
  );
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  const tarball = join(work, filename);
  const scratch = join(work, 'downstream');
  await writePackage(scratch, {
    'handler.js': handler('@token-broker/reader'),
    'typed.ts': TYPED,
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        lib: ['ES2023', 'DOM'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      files: ['typed.ts'],
    }),
  });
  const installed = await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball],
    { cwd: scratch, env: npmEnv },
  );
  await writeFile(join(work, 'install.log'), installed.stdout + installed.stderr);
  return { scratch, tarball };
}

/** Builds token-broker's dist/ and links the repository into a scratch package as `token-broker`. */
async function linkRootPackage(work: string): Promise<string> {
  await run(process.execPath, [tsc, '-p', join(repo, 'tsconfig.build.json')], { cwd: repo });
  const scratch = join(work, 'root-export');
  await writePackage(scratch, { 'handler.js': handler('token-broker/reader') });
  await symlink(repo, join(scratch, 'node_modules/token-broker'), 'dir');
  return scratch;
}

describe('Package: @token-broker/reader, packed and installed in a downstream package', () => {
  let work: string;
  let reader: { scratch: string; tarball: string };
  let rootExport: string;
  let envelope: ReturnType<typeof makeEnvelope>;

  const moto = useMoto();
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'token-broker-reader-'));
    [reader, rootExport] = await Promise.all([installPackedReader(work), linkRootPackage(work)]);
    const ssm = new SSMClient({});
    envelope = makeEnvelope('cw-sandbox');
    await publish(ssm, 'cw-sandbox', envelope);
    await publish(ssm, 'pending', PENDING_TOKEN_VALUE);
    ssm.destroy();
  });

  const readAtInit = async (scratch: string) => {
    const { stdout } = await run(process.execPath, ['handler.js'], {
      cwd: scratch,
      env: { ...process.env, ...moto.env, TOKEN_BROKER_PARAMETER_PREFIX: TEST_PREFIX },
    });
    return JSON.parse(stdout) as unknown;
  };

  it('installs the reader and the AWS SDK only: no Pulumi, OpenTelemetry, esbuild, protobufjs or install script', async (t) => {
    // Act
    const lock = JSON.parse(await readFile(join(reader.scratch, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const paths = Object.keys(lock.packages).filter((path) => path !== '');
    const du = await run('du', ['-sb', 'node_modules'], { cwd: reader.scratch });
    const installedBytes = Number(du.stdout.split('\t')[0]);
    const tarballBytes = (await stat(reader.tarball)).size;
    t.diagnostic(
      `installed node_modules: ${installedBytes} bytes (${(installedBytes / 1e6).toFixed(1)} MB), ` +
        `${paths.length} packages; tarball: ${tarballBytes} bytes (${(tarballBytes / 1e3).toFixed(1)} kB)`,
    );
    // Assess
    assert.ok(paths.includes('node_modules/@token-broker/reader'));
    assert.ok(paths.includes('node_modules/@aws-sdk/client-ssm'));
    assert.deepEqual(
      paths.filter((path) => TOOLING.test(path)),
      [],
    );
    assert.deepEqual(
      paths.filter((path) => lock.packages[path]?.hasInstallScript === true),
      [],
    );
    assert.doesNotMatch(await readFile(join(work, 'install.log'), 'utf8'), /install.scripts?/i);
    assert.ok(installedBytes < MAX_INSTALLED_BYTES, `${installedBytes} bytes installed`);
  });

  it('reads a token at INIT with `import { getToken } from "@token-broker/reader"`', async () => {
    // Act
    const output = await readAtInit(reader.scratch);
    // Assess
    assert.deepEqual(output, {
      name: 'cw-sandbox',
      authorization: `Bearer ${envelope.token}`,
      pendingIsNotFound: true,
    });
  });

  it('type-checks a downstream use against the published declarations', async () => {
    // Act
    const checked = await run(process.execPath, [tsc, '-p', reader.scratch], {
      cwd: reader.scratch,
    }).then(
      () => 'ok',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    // Assess
    assert.equal(checked, 'ok');
  });

  it('still reads a token through token-broker/reader, the root package export', async () => {
    // Act
    const output = await readAtInit(rootExport);
    // Assess
    assert.deepEqual(output, {
      name: 'cw-sandbox',
      authorization: `Bearer ${envelope.token}`,
      pendingIsNotFound: true,
    });
  });
});
