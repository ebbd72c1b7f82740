/** One table of figures: a header row and rows of cells, already formatted. */
export interface BenchTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Lines printed under the table: what was measured and how to read it. */
  readonly notes?: readonly string[];
}

/**
 * A part of `npm run bench`. A section starts what it needs, measures, stops everything it
 * started (also when it fails) and returns its tables; the runner prints them.
 */
export interface BenchSection {
  /** Short name to select the section: `npm run bench -- reader`. */
  readonly name: string;
  readonly title: string;
  run(): Promise<readonly BenchTable[]>;
}
