import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundleLambda, packageFile } from '../../infra/components/index.ts';
import { type WrittenBundle, writeBundle } from './runBundle.ts';

describe('Function: bundleLambda', () => {
  let bundle: WrittenBundle;
  let sourceMap: { sources: string[]; sourcesContent?: unknown };

  before(async () => {
    const built = await bundleLambda(packageFile('test/infra/bundleFixtureEntry.ts'));
    sourceMap = JSON.parse(built.sourceMap);
    bundle = await writeBundle(built);
  });
  after(async () => {
    await bundle.remove();
  });

  it('builds a self-contained module that runs outside the repository', async () => {
    // Act
    const run = await bundle.invoke({ prefix: '/tb/dev', name: 'idp' }, {});
    // Assess
    assert.deepEqual(run.outcome, { result: { parameter: '/tb/dev/idp', sdk: 'function' } });
  });

  it('maps a stack trace back to the TypeScript source', async () => {
    // Act
    const run = await bundle.invoke({}, {}, 'fail');
    // Assess
    assert.ok('error' in run.outcome);
    assert.equal(run.outcome.error.message, 'bundled failure');
    assert.match(run.outcome.error.stack, /bundleFixtureEntry\.ts:\d+/);
    assert.equal(run.exitCode, 1);
    assert.ok(sourceMap.sources.includes('bundleFixtureEntry.ts'), sourceMap.sources.join());
    assert.equal(sourceMap.sourcesContent, undefined);
  });

  it('builds an entry once per process and shares the bundle', async () => {
    // Act
    const [first, second] = await Promise.all([
      bundleLambda(packageFile('test/infra/bundleFixtureEntry.ts')),
      bundleLambda(packageFile('test/infra/bundleFixtureEntry.ts')),
    ]);
    // Assess
    assert.equal(first, second);
    assert.equal(first, await bundleLambda(packageFile('test/infra/bundleFixtureEntry.ts')));
  });

  it('rejects an entry that does not build, naming what is missing, and does not keep the failure', async () => {
    // Prepare
    const directory = await mkdtemp(join(tmpdir(), 'token-broker-entry-'));
    const entry = join(directory, 'late-entry.ts');
    // Act, Assess
    await assert.rejects(bundleLambda(entry), /late-entry\.ts/);
    await writeFile(entry, 'export const handler = async () => 1;\n');
    assert.match((await bundleLambda(entry)).code, /handler/);
    await rm(directory, { recursive: true });
  });
});
