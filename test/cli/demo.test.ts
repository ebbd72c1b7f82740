import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const demo = fileURLToPath(new URL('../../scripts/demo.ts', import.meta.url));

describe('Script: demo (npm run demo)', () => {
  it('runs the whole workflow against moto and the fakes, printing no password or client secret', async () => {
    // Act
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [demo], {
      env: { ...process.env, TOKEN_BROKER_PARAMETER_PREFIX: '/token-broker/demo', NO_COLOR: '1' },
      timeout: 120_000,
    });
    // Assess
    const output = `${stdout}${stderr}`;
    assert.match(output, /created secret \/token-broker\/demo\/cw-sandbox/);
    assert.match(output, /^4 refreshed, 0 skipped, 0 failed$/m);
    assert.match(output, /^cw-sandbox\s+crisisworks\s+fresh\s.*refreshed \d+s ago$/m);
    assert.match(output, /fetchWithToken\('cw-sandbox', '\/api\/json\/ping'\): 200/);
    assert.match(output, /^0 refreshed, 4 skipped, 0 failed$/m);
    assert.match(output, /^token-broker-demo-state$/m, 'init printed the state table');
    assert.match(output, /Logins so far: Crisisworks 1, Code42 3, OAuth2 1\n\n== 7/);
    for (const secret of [
      'demo-password-1',
      'demo-client-secret-2',
      'demo:pässword-3',
      'demo-client-secret-4',
    ]) {
      assert.ok(!output.includes(secret), 'no credential in the output');
    }
  });
});
