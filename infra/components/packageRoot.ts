import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'token-broker';

/**
 * The directory of token-broker's package.json, found by walking up from this file, so the Lambda
 * sources resolve the same from `infra/` (type stripping), from `dist/infra/` (`npm run build`)
 * and from `node_modules/token-broker/` (another program using `token-broker/infra`).
 *
 * @throws {Error} when no enclosing package is token-broker
 */
export function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (name === PACKAGE_NAME) return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`no enclosing ${PACKAGE_NAME} package.json`);
    directory = parent;
  }
}

/** Absolute path of a file of the token-broker package, given relative to its root. */
export function packageFile(relativePath: string): string {
  return join(packageRoot(), relativePath);
}
