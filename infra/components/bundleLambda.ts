import { dirname, join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { build } from 'esbuild';

/** The Lambda handler setting of every archive built by {@link lambdaArchive}. */
export const BUNDLE_HANDLER = 'index.handler';

/** One bundled Lambda function: an ES module and its source map. */
export interface LambdaBundle {
  /** `index.mjs`: the minified entry and everything it imports, AWS SDK included; it links its map. */
  readonly code: string;
  /** `index.mjs.map`, without source contents (it maps stack traces; the sources stay in git). */
  readonly sourceMap: string;
}

/** The bundles built so far in this process, by entry path (a failed build is forgotten). */
const bundles = new Map<string, Promise<LambdaBundle>>();

/**
 * Bundles a Lambda entry file (TypeScript or JavaScript, exporting `handler`) with esbuild: one
 * minified ES module for Node.js 24 with a linked source map (`NODE_OPTIONS=--enable-source-maps`
 * turns stack traces back into source lines). The AWS SDK is bundled rather
 * than taken from the runtime, so the deployed code runs the versions that were tested. Each entry
 * is built once per process: a program that declares several brokers shares the bundle.
 *
 * @param entry - absolute path of the entry file
 * @throws {Error} listing esbuild's errors when the entry does not build
 * @example
 * const { code } = await bundleLambda(packageFile('lambdas/refresher/handler.ts'));
 */
export function bundleLambda(entry: string): Promise<LambdaBundle> {
  let bundle = bundles.get(entry);
  if (bundle === undefined) {
    bundle = buildBundle(entry);
    bundles.set(entry, bundle);
    bundle.catch(() => bundles.delete(entry));
  }
  return bundle;
}

async function buildBundle(entry: string): Promise<LambdaBundle> {
  const outfile = join(dirname(entry), 'index.mjs');
  const result = await build({
    entryPoints: [entry],
    outfile,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    mainFields: ['module', 'main'],
    // Some CommonJS dependencies call require(); an ES module has none until it is made.
    banner: {
      js: "import { createRequire as __tbCreateRequire } from 'node:module'; const require = __tbCreateRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((file) => file.path === outfile)?.text;
  const sourceMap = result.outputFiles.find((file) => file.path === `${outfile}.map`)?.text;
  if (code === undefined || sourceMap === undefined)
    throw new Error(`esbuild produced no bundle for ${entry}`);
  return { code, sourceMap };
}

/**
 * A Lambda deployment archive of a bundled entry (`index.mjs`, `index.mjs.map`), built while the
 * Pulumi program runs, with extra files at its root (next to `index.mjs`). Use with
 * {@link BUNDLE_HANDLER}.
 *
 * @param entry - absolute path of the entry file
 * @param files - extra files by name, such as `{ 'config.json': text }`; default none
 * @throws {Error} when an extra file would replace the bundle or its map
 * @example
 * lambdaArchive(packageFile('lambdas/refresher/handler.ts'), { 'config.json': document });
 */
export async function lambdaArchive(
  entry: string,
  files: Readonly<Record<string, string>> = {},
): Promise<pulumi.asset.AssetArchive> {
  const bundle = await bundleLambda(entry);
  const assets: Record<string, pulumi.asset.Asset> = {
    'index.mjs': new pulumi.asset.StringAsset(bundle.code),
    'index.mjs.map': new pulumi.asset.StringAsset(bundle.sourceMap),
  };
  for (const [name, text] of Object.entries(files)) {
    if (name in assets) throw new Error(`${name} is the bundle's own file in the Lambda archive`);
    assets[name] = new pulumi.asset.StringAsset(text);
  }
  return new pulumi.asset.AssetArchive(assets);
}
