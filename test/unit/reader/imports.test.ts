import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const readerRoot = fileURLToPath(new URL('../../../lambdas/reader/', import.meta.url));
const ALLOWED_PACKAGES = new Set(['@aws-sdk/client-ssm', '@aws-sdk/client-lambda']);

/** The specifiers a source imports, re-exports or imports dynamically; comments and strings are not read. */
function specifiersOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

/** Why `specifier`, imported by the reader package's file `file`, leaves the package; else undefined. */
function foreignImport(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = relative(readerRoot, join(dirname(file), specifier));
    return target.startsWith(`..${sep}`) ? `imports ${specifier}, outside the package` : undefined;
  }
  if (specifier.startsWith('node:') || ALLOWED_PACKAGES.has(specifier)) return undefined;
  return `imports ${specifier}, not a dependency of the package`;
}

/** The TypeScript sources of the reader package, without its build output. */
async function readerSources(): Promise<string[]> {
  const entries = await readdir(readerRoot, { recursive: true });
  return entries
    .filter((entry) => entry.endsWith('.ts') && !/^(dist|node_modules)\b/.test(entry))
    .map((entry) => join(readerRoot, entry));
}

describe('Package: @token-broker/reader imports', () => {
  it('finds imports, re-exports and dynamic imports, and flags those leaving the package', () => {
    // Prepare
    const file = join(readerRoot, 'contract/example.ts');
    const source = [
      "/** @example import { getToken } from '@token-broker/reader'; */",
      "import type { TokenEnvelope } from './envelope.ts';",
      "export * from '../../refresher/contract.ts';",
      "export { z } from 'zod';",
      "const { createHash } = await import('node:crypto');",
      "import { createHash as digest } from 'crypto';",
    ].join('\n');
    // Act
    const problems = specifiersOf(source).map((specifier) => foreignImport(file, specifier));
    // Assess
    assert.deepEqual(problems, [
      undefined,
      'imports ../../refresher/contract.ts, outside the package',
      'imports zod, not a dependency of the package',
      undefined,
      'imports crypto, not a dependency of the package',
    ]);
  });

  it('imports nothing but its own files, the SSM and Lambda clients and node: builtins', async () => {
    // Prepare
    const files = await readerSources();
    const problems: string[] = [];
    const packages = new Set<string>();
    // Act
    for (const file of files) {
      for (const specifier of specifiersOf(await readFile(file, 'utf8'))) {
        if (!specifier.startsWith('.')) packages.add(specifier);
        const problem = foreignImport(file, specifier);
        if (problem !== undefined) problems.push(`${relative(readerRoot, file)} ${problem}`);
      }
    }
    // Assess
    assert.ok(files.includes(join(readerRoot, 'contract/envelope.ts')));
    assert.ok(files.length > 15, `only ${files.length} sources found`);
    assert.deepEqual(problems, []);
    assert.ok(packages.has('@aws-sdk/client-ssm') && packages.has('@aws-sdk/client-lambda'));
  });
});
