import { after, afterEach, before, beforeEach, describe } from 'node:test';
import { type Moto, startMoto } from '../support/moto.ts';
import { awsFaults } from './awsFaults.ts';
import { FaultMatrix } from './FaultMatrix.ts';
import { vendorFaults } from './vendorFaults.ts';

/**
 * The fault matrix: each fault is injected on one instance of a healthy fleet of four (one per
 * provider type, each with its own fake vendor), and each case checks that the instance fails
 * with a clear reason (or absorbs the fault, as documented), that every other instance publishes,
 * that the faulty instance's previous token stays intact and readable, and that no secret or
 * token reaches any output. Prints `faults: N tried, L tokens lost, K leaks` at the end.
 */
describe('Fault matrix: one faulty instance in a healthy fleet', () => {
  const matrix = new FaultMatrix();
  let moto: Moto;
  before(async () => {
    moto = await startMoto();
  });
  after(async () => {
    await moto.stop();
    process.stdout.write(`${matrix.tally.summary()}\n`);
  });
  beforeEach(async () => {
    await moto.reset();
  });
  afterEach(async () => {
    await matrix.closeCurrent();
  });

  describe('Vendor faults', () => vendorFaults(matrix));
  describe('AWS faults', () => awsFaults(matrix));
});
