import { spawnCli } from '../../support/runCli.ts';
import { describeCliLeakTest } from './leakScenario.ts';

// The same runs as leak.test.ts, each a real process: this scans everything the process prints,
// not only what the commands write to their streams.
describeCliLeakTest('spawned', spawnCli);
