/**
 * The local demo (`npm run demo`): token-broker's whole workflow on this machine, with the moto
 * AWS emulator standing in for AWS and fake Crisisworks, Code42 and OAuth2 servers (test/fakes/,
 * which follow the vendors' documentation) standing in for the vendors. It runs the real CLI, as
 * an operator would type it, then reads a token as a downstream Lambda would.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { styleText } from 'node:util';
import { type BrokerConfigInput, parseBrokerConfig } from '../lambdas/config/index.ts';
import { authorizationHeaders, fetchWithToken, getToken } from '../lambdas/reader/index.ts';
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
import { startMoto } from '../test/support/moto.ts';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const heading = (text: string) => console.log(`\n${styleText('bold', `== ${text}`)}`);

/** Shows a token as its first characters and length: the demo's tokens are fake, but the habit is not. */
const redact = (token: string) => `${token.slice(0, 12)}… (${token.length} characters)`;

/** Runs `token-broker ARGS` as a child process, showing the command line and its output. */
function tokenBroker(args: readonly string[], env: Record<string, string>, input?: string) {
  console.log(
    styleText('cyan', `$ token-broker ${args.join(' ')}${input ? ' < credentials.json' : ''}`),
  );
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  child.stdin.end(input ?? '');
  return new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function expectSuccess(run: Promise<number>) {
  const code = await run;
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

heading('Starting local stand-ins: moto (AWS) and fake Crisisworks, Code42 and OAuth2 servers');
const moto = await startMoto();
const crisisworks = await startFakeCrisisworks({ site: 'sandbox', ...credentials['cw-sandbox'] });
const code42 = await startFakeCode42({
  apiClients: [credentials['c42-eu5']],
  localAccounts: [credentials['c42-admin']],
});
const oauth2 = await startFakeOAuth2({ ...credentials.idp, clientAuth: 'basic' });
const showLogins = () =>
  console.log(
    `Logins so far: Crisisworks ${crisisworks.logins}, Code42 ${code42.logins}, OAuth2 ${oauth2.logins}`,
  );
const folder = await mkdtemp(join(tmpdir(), 'token-broker-demo-'));
const env = { ...moto.env, TOKEN_BROKER_STATE_DIR: folder };
console.log(`AWS_ENDPOINT_URL=${moto.endpoint}`);

try {
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
  const configFile = join(folder, 'broker.json');
  const credentialsFile = join(folder, 'credentials.json');
  await writeFile(configFile, JSON.stringify(document, null, 2));
  await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  heading(`The configuration (${configFile})`);
  console.log(JSON.stringify(document, null, 2));

  heading('1. Check an instance before deploying: log in once with local credentials');
  await expectSuccess(
    tokenBroker(
      ['token', 'c42-eu5', '--config', configFile, '--credentials', credentialsFile],
      env,
    ),
  );

  heading('2. Create the state table (leases and last results; pulumi up creates it in a stack)');
  await expectSuccess(tokenBroker(['init', '--config', configFile], env));

  heading("3. Store each instance's credentials in Secrets Manager (from stdin, never argv)");
  for (const [name, value] of Object.entries(credentials)) {
    await expectSuccess(
      tokenBroker(['put-credentials', name, '--config', configFile], env, JSON.stringify(value)),
    );
  }

  heading('4. Refresh: what the scheduled Lambda does, run once from here');
  await expectSuccess(tokenBroker(['refresh', '--config', configFile], env));

  heading('5. Status of every token');
  await expectSuccess(tokenBroker(['status', '--config', configFile], env));

  heading('6. A downstream Lambda reads a ready-made token (token-broker/reader)');
  const envelope = await getToken('cw-sandbox', { minValiditySeconds: 60 });
  const headers = await authorizationHeaders('cw-sandbox');
  console.log(
    `getToken('cw-sandbox'): ${envelope.tokenType} ${redact(envelope.token)}, expires ${envelope.expiresAt}`,
  );
  console.log(
    `authorizationHeaders('cw-sandbox'): ${JSON.stringify({ ...headers, Authorization: `${envelope.tokenType} ${redact(envelope.token)}` })}`,
  );
  const ping = await fetchWithToken('cw-sandbox', '/api/json/ping', {
    headers: { Accept: 'application/json' },
  });
  console.log(
    `fetchWithToken('cw-sandbox', '/api/json/ping'): ${ping.status} ${await ping.text()}`,
  );
  showLogins();

  heading('7. The next scheduled run: every token is still fresh, so nobody logs in');
  await expectSuccess(tokenBroker(['refresh', '--config', configFile], env));
  showLogins();
  console.log(
    `\nDone: ${config.instances.length} instances published under ${config.parameterPrefix}.`,
  );
} finally {
  await Promise.all([crisisworks.close(), code42.close(), oauth2.close(), moto.stop()]);
  await rm(folder, { recursive: true, force: true });
}
