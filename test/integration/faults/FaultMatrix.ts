import { after, afterEach, describe } from 'node:test';
import { useMoto } from '../../support/moto.ts';
import {
  type AssessOptions,
  assessFaultCase,
  type FaultExpectation,
  FaultTally,
} from './assessFaultCase.ts';
import { type FaultCase, type FaultSpec, type Invocation, startFaultCase } from './faultCase.ts';

/**
 * The fault matrix's runner: starts cases (against the moto the suite runs), stops the running
 * one after each test, and tallies cases tried, tokens lost and leaks for the suite's summary.
 *
 * @example
 * const matrix = new FaultMatrix();
 * afterEach(() => matrix.closeCurrent());
 * it('idp: 401 → failed', () => matrix.run({ faulty: 'idp', inject }, { outcome: 'failed', cause }));
 */
export class FaultMatrix {
  public readonly tally = new FaultTally();
  #current: FaultCase | undefined;

  /** Starts a case (one tried); it stops with {@link FaultMatrix.closeCurrent}. */
  public start = async (spec: FaultSpec): Promise<FaultCase> => {
    this.tally.tried += 1;
    this.#current = await startFaultCase(spec);
    return this.#current;
  };

  /** The four checks of {@link assessFaultCase}, tallied. */
  public assess = (
    faultCase: FaultCase,
    invocation: Invocation,
    expected: FaultExpectation,
    options?: AssessOptions,
  ): Promise<void> => assessFaultCase(this.tally, faultCase, invocation, expected, options);

  /** Starts a case, invokes the refresher once and runs the four checks. */
  public run = async (
    spec: FaultSpec,
    expected: FaultExpectation,
    options?: AssessOptions,
  ): Promise<FaultCase> => {
    const faultCase = await this.start(spec);
    await this.assess(faultCase, await faultCase.invoke(), expected, options);
    return faultCase;
  };

  /** Stops the running case, if any. */
  public async closeCurrent(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    await current?.close();
  }
}

/**
 * The fault matrix, one part per test file so that the parts run in parallel: each fault is
 * injected on one instance of a healthy fleet of four (one per provider type, each with its own
 * fake vendor), and each case checks that the instance fails with a clear reason (or absorbs the
 * fault, as documented), that every other instance publishes, that the faulty instance's previous
 * token stays intact and readable, and that no secret or token reaches any output. Prints
 * `faults: N tried, L tokens lost, K leaks` at the end.
 *
 * @param part - what the cases break, for the suite's title
 * @param register - registers the cases with `it`, running them with the matrix given
 */
export function describeFaultMatrix(part: string, register: (matrix: FaultMatrix) => void): void {
  describe(`Fault matrix: one faulty instance in a healthy fleet (${part})`, () => {
    useMoto({ resetEach: true });
    const matrix = new FaultMatrix();
    after(() => {
      process.stdout.write(`fault matrix, ${part}: ${matrix.tally.summary()}\n`);
    });
    afterEach(async () => {
      await matrix.closeCurrent();
    });
    register(matrix);
  });
}
