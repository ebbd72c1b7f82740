/**
 * `npm run bench [-- SECTION...]`: runs the benchmark sections (all, or the ones named) one after
 * another and prints their tables. Figures are printed, not asserted.
 */
import { formatTable } from './formatTable.ts';
import { sections } from './sections.ts';

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !sections.some((section) => section.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown bench section(s): ${unknown.join(', ')}; known: ${sections.map((section) => section.name).join(', ')}`,
  );
  process.exit(2);
}

const started = performance.now();
for (const section of sections) {
  if (wanted.length > 0 && !wanted.includes(section.name)) continue;
  const title = `${section.title} (${section.name})`;
  console.log(`\n${title}\n${'═'.repeat(title.length)}\n`);
  const sectionStart = performance.now();
  const tables = await section.run();
  console.log(tables.map(formatTable).join('\n\n'));
  console.log(`\n  section took ${((performance.now() - sectionStart) / 1000).toFixed(1)} s`);
}
console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
