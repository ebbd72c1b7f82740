import { spawnCli } from '../../support/runCli.ts';
import { describeLoginTypesLeakTest } from './leakLoginTypesScenario.ts';

// The same runs as leakLoginTypes.test.ts, each a real process: this scans everything the
// process prints, not only what the commands write to their streams.
describeLoginTypesLeakTest('spawned', spawnCli);
