import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SSMClient } from '@aws-sdk/client-ssm';
import { PENDING_TOKEN_VALUE } from '../../lambdas/reader/contract/envelope.ts';
import { type Moto, startMoto } from '../support/moto.ts';
import { makeEnvelope, publish, TEST_PREFIX } from './readerFixtures.ts';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(repo, 'node_modules/typescript/bin/tsc');

/** A downstream Lambda's module: reads at INIT with top-level await, through the package export. */
const HANDLER = `
import { getToken, TokenNotFoundError, TokenNotPublishedError } from 'token-broker/reader';

const envelope = await getToken('cw-sandbox');
const failure = await getToken('pending').catch((error) => error);

console.log(JSON.stringify({
  name: envelope.name,
  authorization: envelope.tokenType + ' ' + envelope.token,
  pendingIsNotFound: failure instanceof TokenNotFoundError && failure instanceof TokenNotPublishedError,
}));
`;

/** The same use, type-checked against the package's declarations. */
const TYPED = `
import { getToken, TokenReader, type TokenEnvelope } from 'token-broker/reader';

const reader = new TokenReader({ parameterPrefix: '/token-broker/dev', minValiditySeconds: 120 });
const envelope: TokenEnvelope = await getToken('cw-sandbox', { forceFetch: true });
const headers: Record<string, string> = await reader.authorizationHeaders(envelope.name);
export const response: Response = await reader.fetchWithToken('cw-sandbox', '/api', { headers });
`;

describe('Package: token-broker/reader from a separate package', () => {
  let moto: Moto;
  let scratch: string;

  before(async () => {
    moto = await startMoto();
    // What `npm run build` runs: compiles dist/, which the package's "exports" map points at.
    await run(process.execPath, [tsc, '-p', join(repo, 'tsconfig.build.json')], { cwd: repo });
    scratch = await mkdtemp(join(tmpdir(), 'token-broker-scratch-'));
    await mkdir(join(scratch, 'node_modules'));
    await symlink(repo, join(scratch, 'node_modules/token-broker'), 'dir');
    await writeFile(
      join(scratch, 'package.json'),
      JSON.stringify({ name: 'downstream', private: true, type: 'module' }),
    );
    await writeFile(join(scratch, 'handler.js'), HANDLER);
    await writeFile(join(scratch, 'typed.ts'), TYPED);
    await writeFile(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['typed.ts'],
      }),
    );
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
    await moto.stop();
  });

  it('reads a token at INIT with `import { getToken } from "token-broker/reader"`', async () => {
    // Prepare
    const ssm = new SSMClient({});
    const envelope = makeEnvelope('cw-sandbox');
    await publish(ssm, 'cw-sandbox', envelope);
    await publish(ssm, 'pending', PENDING_TOKEN_VALUE);
    ssm.destroy();
    // Act
    const { stdout } = await run(process.execPath, ['handler.js'], {
      cwd: scratch,
      env: { ...process.env, ...moto.env, TOKEN_BROKER_PARAMETER_PREFIX: TEST_PREFIX },
    });
    // Assess
    assert.deepEqual(JSON.parse(stdout), {
      name: 'cw-sandbox',
      authorization: `Bearer ${envelope.token}`,
      pendingIsNotFound: true,
    });
  });

  it('type-checks a downstream use against the published declarations', async () => {
    // Act
    const checked = await run(process.execPath, [tsc, '-p', scratch], { cwd: scratch }).then(
      () => 'ok',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    // Assess
    assert.equal(checked, 'ok');
  });
});
