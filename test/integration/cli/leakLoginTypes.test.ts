import { runCli } from '../../support/runCli.ts';
import { describeLoginTypesLeakTest } from './leakLoginTypesScenario.ts';

describeLoginTypesLeakTest('in-process', runCli);
