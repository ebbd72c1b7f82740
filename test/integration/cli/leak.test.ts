import { runCli } from '../../support/runCli.ts';
import { describeCliLeakTest } from './leakScenario.ts';

describeCliLeakTest('in-process', runCli);
