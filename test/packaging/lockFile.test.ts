import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

interface LockedPackage {
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(
  readFileSync(new URL('package.json', root), 'utf8'),
) as LockedPackage & {
  readonly workspaces: readonly string[];
};
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockedPackage>;
};

/** Where Node.js would find `dependency` from the package at `path`: its own, then each parent's. */
function resolveInLock(path: string, dependency: string): string | undefined {
  let folder = path;
  for (;;) {
    const candidate = `${folder === '' ? '' : `${folder}/`}node_modules/${dependency}`;
    if (lock.packages[candidate] !== undefined) return candidate;
    if (folder === '') return undefined;
    const parent = folder.lastIndexOf('/node_modules/');
    folder = parent === -1 ? '' : folder.slice(0, parent);
  }
}

describe('File: package-lock.json', () => {
  it('records the dependency ranges package.json declares (npm ci refuses a lock out of sync)', () => {
    // Prepare
    const locked = lock.packages[''] ?? {};
    // Assess
    assert.equal(lock.lockfileVersion, 3);
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
      assert.deepEqual(locked[field] ?? {}, manifest[field] ?? {}, field);
    }
  });

  it('records each workspace with the ranges its package.json declares, linked into node_modules', () => {
    // Assess
    assert.deepEqual(manifest.workspaces, ['lambdas/reader']);
    for (const path of manifest.workspaces) {
      const workspace = JSON.parse(readFileSync(new URL(`${path}/package.json`, root), 'utf8')) as {
        name: string;
      } & LockedPackage;
      const locked = lock.packages[path] ?? {};
      for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
        assert.deepEqual(locked[field] ?? {}, workspace[field] ?? {}, `${path} ${field}`);
      }
      assert.deepEqual(lock.packages[`node_modules/${workspace.name}`], {
        resolved: path,
        link: true,
      });
    }
  });

  it('holds an entry for every dependency of every locked package, optional ones of other platforms included', () => {
    // Prepare
    const missing: string[] = [];
    // Act
    for (const [path, entry] of Object.entries(lock.packages)) {
      const required = {
        ...entry.dependencies,
        ...entry.optionalDependencies,
        ...(path === '' ? entry.devDependencies : {}),
      };
      for (const dependency of Object.keys(required)) {
        if (resolveInLock(path, dependency) === undefined) {
          missing.push(`${dependency} (for ${path || 'the project'})`);
        }
      }
    }
    // Assess: `npm ci` stops with "Missing: X from lock file" for each of these.
    assert.deepEqual(missing, []);
  });
});
