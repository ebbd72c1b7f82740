/**
 * The local demo (`npm run demo`, `npm run demo -- --keep`): token-broker's whole workflow on this
 * machine, with the moto AWS emulator standing in for AWS and fake Crisisworks, Code42 and OAuth2
 * servers (test/fakes/, which follow the vendors' documentation) standing in for the vendors. It
 * runs the real CLI, as an operator would type it, reads a token as a downstream Lambda would, and
 * shows the recovery from a revoked token. SIGINT and SIGTERM stop everything it started and
 * remove its files; `--keep` leaves the stand-ins running and prints the environment to use them.
 * Not part of the published package: it needs the test fakes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, styleText } from 'node:util';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { type BrokerConfigInput, parseBrokerConfig } from '../lambdas/config/index.ts';
import type { RefreshEvent } from '../lambdas/reader/contract/refreshEvent.ts';
import {
  authorizationHeaders,
  fetchWithToken,
  getToken,
  TokenReader,
} from '../lambdas/reader/index.ts';
import {
  code42ApiClientInstance,
  code42LocalAccountInstance,
  crisisworksInstance,
  oauth2Instance,
  randomTotpSeed,
  startFakeCode42,
  startFakeCrisisworks,
  startFakeOAuth2,
} from '../test/fakes/index.ts';
import { startFakeRefresher } from '../test/integration/reader/fakeRefresher.ts';
import { startMoto } from '../test/support/moto.ts';
import { redactToken } from './support/redactEnvelope.ts';

const usage = `Usage: npm run demo [-- --keep]

  --keep   leave moto and the fake vendors running at the end and print the environment to
           use them (AWS_ENDPOINT_URL, ...); stop them with Ctrl-C
`;
const { values: options } = parseArgs({
  options: { keep: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
});
if (options.help) {
  process.stdout.write(usage);
  process.exit(0);
}

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
let headingNumber = 0;
const heading = (text: string, numbered = true) => {
  if (numbered) headingNumber += 1;
  const prefix = numbered ? `${headingNumber}. ` : '';
  console.log(`\n${styleText('bold', `== ${prefix}${text}`)}`);
};

/** What to stop and remove, in reverse order of start, on the way out or on a signal. */
const cleanups: (() => Promise<unknown>)[] = [];
const children = new Set<ChildProcess>();
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of children) child.kill('SIGTERM');
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  })();
  return cleaning;
}
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping the stand-ins and removing the demo's files`);
    void cleanUp().finally(() => process.exit(code));
  });
}

/** The folder of the demo's files: the CLI runs in it, so the commands shown are the ones run. */
const folder = await mkdtemp(join(tmpdir(), 'token-broker-demo-'));
cleanups.push(() => rm(folder, { recursive: true, force: true }));

/** Runs `token-broker ARGS` in the demo folder as a child process, showing exactly what runs. */
function tokenBroker(
  args: readonly string[],
  env: Record<string, string>,
  capture = false,
): Promise<{ code: number; output: string }> {
  console.log(styleText('cyan', `$ token-broker ${args.join(' ')}`));
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: folder,
    env: { ...process.env, ...env },
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
  });
  children.add(child);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code: code ?? 1, output });
    });
  });
}

async function expectSuccess(run: Promise<{ code: number }>) {
  const { code } = await run;
  if (code !== 0) throw new Error(`the command exited with ${code}`);
}

const credentials = {
  'cw-sandbox': { username: 'api-user', password: 'demo-password-1', totpSecret: randomTotpSeed() },
  'c42-eu5': { clientId: 'key-79muGw9i424', clientSecret: 'demo-client-secret-2' },
  'c42-admin': {
    username: 'admin@example.org',
    password: 'demo:pässword-3',
    totpSecret: randomTotpSeed(),
  },
  idp: { clientId: 'token-broker', clientSecret: 'demo-client-secret-4' },
};

heading(
  'Starting local stand-ins: moto (AWS) and fake Crisisworks, Code42 and OAuth2 servers',
  false,
);
const moto = await startMoto();
cleanups.push(() => moto.stop());
const crisisworks = await startFakeCrisisworks({ site: 'sandbox', ...credentials['cw-sandbox'] });
cleanups.push(() => crisisworks.close());
const code42 = await startFakeCode42({
  apiClients: [credentials['c42-eu5']],
  localAccounts: [credentials['c42-admin']],
});
cleanups.push(() => code42.close());
const oauth2 = await startFakeOAuth2({ ...credentials.idp, clientAuth: 'basic' });
cleanups.push(() => oauth2.close());
const showLogins = () =>
  console.log(
    `Logins so far: Crisisworks ${crisisworks.logins}, Code42 ${code42.logins}, OAuth2 ${oauth2.logins}`,
  );
const env = { ...moto.env, TOKEN_BROKER_STATE_DIR: folder };
console.log(`AWS_ENDPOINT_URL=${moto.endpoint}`);

const document: BrokerConfigInput = {
  parameterPrefix: '/token-broker/demo',
  instances: [
    crisisworksInstance(crisisworks.url, 'sandbox', 'cw-sandbox'),
    code42ApiClientInstance(code42.url, 'c42-eu5'),
    code42LocalAccountInstance(code42.url, 'c42-admin'),
    oauth2Instance(oauth2.tokenUrl, { scope: 'read' }, 'idp'),
  ],
};
const config = parseBrokerConfig(document, 'demo');
const configFile = 'broker.json';
const credentialsFile = 'credentials.json';

/** Runs the refresher's cycle for an on-demand invoke, as the deployed Lambda would. */
async function refreshOnDemand(event: RefreshEvent): Promise<void> {
  console.log(`[refresher] invoked with ${JSON.stringify(event)}`);
  const args = ['refresh', '--config', configFile, '--force'];
  for (const name of event.names ?? []) args.push('--only', name);
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const { code, output } = await tokenBroker(args, env, true);
    if (code === 0 && /^[1-9]\d* refreshed/m.test(output)) return;
    if (attempt === 2) throw new Error('the refresh did not publish a new token');
    // Skipped: the last login used this TOTP step, and no run sends a code again before the next.
    const waitMs = 30_000 - (Date.now() % 30_000) + 1500;
    console.log(`[refresher] waiting ${Math.ceil(waitMs / 1000)}s for the next TOTP step`);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

/** The demo's steps, in order; each heading is numbered as it runs. */
const steps: [string, () => Promise<void>][] = [
  [
    'Check an instance before deploying: log in once with local credentials (token redacted)',
    () =>
      expectSuccess(
        tokenBroker(
          ['token', 'c42-eu5', '--config', configFile, '--credentials', credentialsFile],
          env,
        ),
      ),
  ],
  [
    'Create the state table (leases and last results; pulumi up creates it in a stack)',
    () => expectSuccess(tokenBroker(['init', '--config', configFile], env)),
  ],
  [
    "Store each instance's credentials in Secrets Manager (from a file or stdin, never argv)",
    async () => {
      for (const name of Object.keys(credentials)) {
        await expectSuccess(
          tokenBroker(
            ['put-credentials', name, '--config', configFile, '--from-file', credentialsFile],
            env,
          ),
        );
      }
    },
  ],
  [
    'Refresh: what the scheduled Lambda does, run once from here',
    () => expectSuccess(tokenBroker(['refresh', '--config', configFile], env)),
  ],
  [
    'Status of every token',
    () => expectSuccess(tokenBroker(['status', '--config', configFile], env)),
  ],
  [
    'A downstream Lambda reads a ready-made token (token-broker/reader)',
    async () => {
      const envelope = await getToken('cw-sandbox', { minValiditySeconds: 60 });
      const headers = await authorizationHeaders('cw-sandbox');
      console.log(
        `getToken('cw-sandbox'): ${envelope.tokenType} ${redactToken(envelope.token)}, expires ${envelope.expiresAt}`,
      );
      console.log(
        `authorizationHeaders('cw-sandbox'): ${JSON.stringify({ ...headers, Authorization: `${envelope.tokenType} ${redactToken(envelope.token)}` })}`,
      );
      const ping = await fetchWithToken('cw-sandbox', '/api/json/ping', {
        headers: { Accept: 'application/json' },
      });
      console.log(
        `fetchWithToken('cw-sandbox', '/api/json/ping'): ${ping.status} ${await ping.text()}`,
      );
      showLogins();
    },
  ],
  [
    'The next scheduled run: every token is still fresh, so nobody logs in',
    async () => {
      await expectSuccess(tokenBroker(['refresh', '--config', configFile], env));
      showLogins();
    },
  ],
  [
    'Recovery: the vendor revokes the token; fetchWithToken refreshes on the 401',
    async () => {
      const refresher = await startFakeRefresher(refreshOnDemand);
      cleanups.push(() => refresher.close());
      const reader = new TokenReader({
        parameterPrefix: config.parameterPrefix,
        refresherFunctionName: 'token-broker-demo-refresher',
        lambdaClient: new LambdaClient({ endpoint: refresher.url }),
      });
      const before = await reader.getToken('cw-sandbox');
      const loginsBefore = crisisworks.logins;
      console.log(`The reader holds ${before.tokenType} ${redactToken(before.token)}.`);
      crisisworks.enqueue({ status: 401, body: { status: 401, message: 'Token revoked' } });
      console.log('Crisisworks revokes it: its next answer to that token is 401.');
      console.log(
        "fetchWithToken('cw-sandbox', '/api/json/ping'): 401 → drop the cached token → invoke the refresher → re-read → retry once",
      );
      const ping = await reader.fetchWithToken('cw-sandbox', '/api/json/ping', {
        headers: { Accept: 'application/json' },
      });
      const after = await reader.getToken('cw-sandbox');
      console.log(
        `fetchWithToken('cw-sandbox', '/api/json/ping'): ${ping.status} ${await ping.text()} with ${after.tokenType} ${redactToken(after.token)}`,
      );
      console.log(
        `Refresher invocations: ${refresher.events.length}; Crisisworks logins: ${loginsBefore} before, ${crisisworks.logins} after`,
      );
      showLogins();
    },
  ],
];

try {
  await writeFile(join(folder, configFile), JSON.stringify(document, null, 2));
  await writeFile(join(folder, credentialsFile), JSON.stringify(credentials, null, 2), {
    mode: 0o600,
  });
  heading(`The configuration (${join(folder, configFile)})`, false);
  console.log(JSON.stringify(document, null, 2));
  for (const [title, run] of steps) {
    heading(title);
    await run();
  }
  console.log(
    `\nDone: ${config.instances.length} instances published under ${config.parameterPrefix}.`,
  );
  if (options.keep) {
    heading('Kept running (--keep): use the stand-ins from another shell', false);
    console.log(`cd ${folder}`);
    for (const [name, value] of Object.entries({
      ...env,
      TOKEN_BROKER_PARAMETER_PREFIX: config.parameterPrefix,
    })) {
      console.log(`export ${name}=${value}`);
    }
    console.log('token-broker status --config broker.json');
    console.log(`Crisisworks ${crisisworks.url}, Code42 ${code42.url}, OAuth2 ${oauth2.tokenUrl}`);
    console.log('Press Ctrl-C to stop them and remove the files.');
    await new Promise(() => {
      // Until SIGINT or SIGTERM, whose handlers clean up and exit.
    });
  }
} finally {
  await cleanUp();
}
