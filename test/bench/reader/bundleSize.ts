import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BenchTable } from '../BenchSection.ts';
import { formatInteger } from '../formatTable.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** What a downstream function adds to its bundle to read a token, ours against Powertools. */
export async function bundleSize(): Promise<BenchTable> {
  const candidates = [
    ['token-broker/reader getToken', "export { getToken } from './lambdas/reader/index.ts';"],
    [
      'Powertools getParameter',
      "export { getParameter } from '@aws-lambda-powertools/parameters/ssm';",
    ],
  ] as const;
  const rows: string[][] = [];
  for (const [label, source] of candidates) {
    const withoutSdk = await bundledBytes(source, ['@aws-sdk/*']);
    const withSdk = await bundledBytes(source, []);
    rows.push([label, formatInteger(withoutSdk), formatInteger(withSdk)]);
  }
  return {
    title: 'Bundle size (esbuild, minified ESM, bytes)',
    columns: ['import', '@aws-sdk/* external', 'everything bundled'],
    rows,
    notes: [
      'The Lambda Node.js runtime ships the AWS SDK v3, so the first column is what you deploy.',
      'Fully bundled, ours also carries @aws-sdk/client-lambda (imported only after a 401).',
    ],
  };
}

async function bundledBytes(contents: string, external: string[]): Promise<number> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
    absWorkingDir: root,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    external,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
}
