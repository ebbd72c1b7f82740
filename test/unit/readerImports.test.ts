import assert from 'node:assert/strict';
import { isBuiltin } from 'node:module';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ALLOWED_PACKAGES = new Set(['@aws-sdk/client-ssm', '@aws-sdk/client-lambda']);
const ALLOWED_FOLDERS = ['lambdas/reader/', 'lambdas/envelope/'];

describe('Module: token-broker/reader', () => {
  it('imports only the SSM and Lambda clients, node builtins and the envelope files', async () => {
    // Prepare
    const { metafile } = await build({
      absWorkingDir: root,
      entryPoints: ['lambdas/reader/index.ts'],
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    // Act
    const files = Object.keys(metafile.inputs);
    const packages = new Set(
      Object.values(metafile.inputs).flatMap((input) =>
        input.imports.filter((imported) => imported.external).map((imported) => imported.path),
      ),
    );
    // Assess
    assert.ok(files.includes('lambdas/envelope/parseEnvelope.ts'));
    assert.deepEqual(
      files.filter((file) => !ALLOWED_FOLDERS.some((folder) => file.startsWith(folder))),
      [],
    );
    assert.ok(packages.has('@aws-sdk/client-ssm'));
    assert.deepEqual(
      [...packages].filter((name) => !ALLOWED_PACKAGES.has(name) && !isBuiltin(name)),
      [],
    );
  });
});
