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
