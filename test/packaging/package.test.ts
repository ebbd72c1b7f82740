import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The relative module specifiers a TypeScript file imports or re-exports. */
function relativeImports(source: string): string[] {
  const pattern = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((match) => match[1] ?? '');
}

describe('Package: npm pack', () => {
  let shipped: Set<string>;
  let manifest: { scripts: Record<string, string>; license: string };
  before(async () => {
    const { stdout } = await promisify(execFile)(
      'npm',
      ['pack', '--dry-run', '--json', '--ignore-scripts'],
      { cwd: root },
    );
    const [pack] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    shipped = new Set(pack.files.map((file) => file.path));
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
