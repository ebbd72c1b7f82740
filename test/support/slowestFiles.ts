/**
 * A node:test reporter that prints, after the run, the ten test files that took longest (the sum
 * of their top-level suites and tests), so a slow file is seen as soon as it appears, and closes
 * with one `N passed, N failed` line counting every test (not suites). Used beside the spec
 * reporter by `npm test`.
 */
interface TestEvent {
  readonly type: string;
  readonly data: {
    readonly nesting?: number;
    readonly file?: string;
    readonly details?: { readonly duration_ms?: number; readonly type?: string };
  };
}

export default async function* slowestFiles(source: AsyncIterable<TestEvent>) {
  const perFile = new Map<string, number>();
  const counts = { passed: 0, failed: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { nesting, file, details } = event.data;
    if (details?.type !== 'suite') counts[event.type === 'test:pass' ? 'passed' : 'failed'] += 1;
    if (nesting !== 0 || file === undefined) continue;
    perFile.set(file, (perFile.get(file) ?? 0) + (details?.duration_ms ?? 0));
  }
  const slowest = [...perFile.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const cwd = `${process.cwd()}/`;
  yield '\nslowest test files:\n';
  for (const [file, ms] of slowest) {
    yield `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file.replace(cwd, '')}\n`;
  }
  yield `${counts.passed} passed, ${counts.failed} failed\n`;
}
