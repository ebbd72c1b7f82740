import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readerRoot = join(root, 'lambdas/reader');

/** The fields of a package.json (the reader's or the root's) the tests read. */
interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly engines: Record<string, string>;
  readonly exports: Record<string, unknown>;
  readonly scripts: Record<string, string>;
  readonly dependencies: Record<string, string>;
}

/** The paths `npm pack` would put in a tarball, without running the package's scripts. */
async function packedPaths(...workspace: string[]): Promise<Set<string>> {
  const { stdout } = await promisify(execFile)(
    'npm',
    ['pack', '--dry-run', '--json', '--ignore-scripts', ...workspace],
    { cwd: root },
  );
  const [pack] = JSON.parse(stdout) as [{ files: { path: string }[] }];
  return new Set(pack.files.map((file) => file.path));
}

/** The relative module specifiers a TypeScript file imports or re-exports. */
function relativeImports(source: string): string[] {
  const pattern = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((match) => match[1] ?? '');
}

describe('Package: npm pack', () => {
  let shipped: Set<string>;
  let manifest: { scripts: Record<string, string>; license: string };
  before(async () => {
    shipped = await packedPaths();
    manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  });

  it('ships the Apache-2.0 LICENSE the manifest declares', async () => {
    // Act
    const license = await readFile(join(root, 'LICENSE'), 'utf8');
    // Assess
    assert.equal(manifest.license, 'Apache-2.0');
    assert.ok(shipped.has('LICENSE'));
    assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
  });

  it('builds dist/ on install from a directory or git URL (prepare)', () => {
    // Assess
    assert.equal(manifest.scripts.prepare, 'npm run build');
  });

  it('ships no test code, and no demo or setup script that would need it', () => {
    // Assess
    const unwanted = [...shipped].filter((path) =>
      /^test\/|\.test\.ts$|^scripts\/(demo|setup)\.|^dist\/scripts\/demo\./.test(path),
    );
    assert.deepEqual(unwanted, []);
  });

  it("ships the reader's sources, which infra bundles, but not its package's build output", () => {
    // Assess
    assert.ok(shipped.has('lambdas/reader/contract/envelope.ts'));
    assert.deepEqual(
      [...shipped].filter((path) => path.startsWith('lambdas/reader/dist/')),
      [],
    );
  });

  it('resolves every relative import of a shipped source file to a shipped file', async () => {
    // Prepare
    const broken: string[] = [];
    const sources = [...shipped].filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'));
    // Act
    for (const path of sources) {
      const text = await readFile(join(root, path), 'utf8');
      for (const specifier of relativeImports(text)) {
        const target = normalize(join(dirname(path), specifier));
        if (!shipped.has(target)) broken.push(`${path} imports ${specifier}`);
      }
    }
    // Assess
    assert.ok(sources.length > 50, `only ${sources.length} sources shipped`);
    assert.deepEqual(broken, []);
  });
});

describe('Package: @token-broker/reader (npm pack --workspace)', () => {
  let shipped: Set<string>;
  let manifest: Manifest;
  let rootManifest: Manifest;
  before(async () => {
    shipped = await packedPaths('--workspace', '@token-broker/reader');
    manifest = JSON.parse(await readFile(join(readerRoot, 'package.json'), 'utf8'));
    rootManifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  });

  it('has the version and license of token-broker, and only the SSM and Lambda clients as dependencies', () => {
    // Prepare
    const clients = ['@aws-sdk/client-lambda', '@aws-sdk/client-ssm'];
    // Assess
    assert.equal(manifest.name, '@token-broker/reader');
    assert.equal(manifest.version, rootManifest.version);
    assert.equal(manifest.license, rootManifest.license);
    assert.deepEqual(
      manifest.dependencies,
      Object.fromEntries(clients.map((name) => [name, rootManifest.dependencies[name]])),
    );
    assert.deepEqual(manifest.engines, rootManifest.engines);
  });

  it('exports its compiled dist/ and ships nothing else but its README and LICENSE', async () => {
    // Act
    const license = await readFile(join(readerRoot, 'LICENSE'), 'utf8');
    // Assess
    assert.deepEqual(manifest.exports['.'], {
      types: './dist/index.d.ts',
      default: './dist/index.js',
    });
    assert.ok(shipped.has('LICENSE') && shipped.has('README.md'));
    assert.deepEqual(
      [...shipped].filter(
        (path) =>
          !path.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(path),
      ),
      [],
    );
    assert.equal(license, await readFile(join(root, 'LICENSE'), 'utf8'));
  });

  it('builds dist/ before it is packed (prepack)', () => {
    // Assess
    assert.equal(manifest.scripts.prepack, 'npm run build');
  });
});
