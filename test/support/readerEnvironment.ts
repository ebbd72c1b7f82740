import { afterEach, beforeEach } from 'node:test';
import { ReaderEnvironment } from '../../lambdas/reader/constants.ts';

/**
 * Runs each test of the enclosing suite with none of the reader's environment variables set, and
 * puts back what was set afterwards. Call it inside a `describe`.
 */
export function withoutReaderEnvironment(): void {
  const keys = Object.values(ReaderEnvironment);
  let saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    saved = Object.fromEntries(keys.map((key) => [key, process.env[key]]));
    for (const key of keys) delete process.env[key];
  });
  afterEach(() => {
    for (const key of keys) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });
}
