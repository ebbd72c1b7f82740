import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileTotpStepStore } from '../../../scripts/support/FileTotpStepStore.ts';

async function tempPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'token-broker-steps-')), 'state', 'totp-steps.json');
}

describe('Class: FileTotpStepStore', () => {
  describe('Method: remember', () => {
    it('keeps steps across instances, as across CLI runs, in a private file', async () => {
      // Prepare
      const path = await tempPath();
      // Act
      new FileTotpStepStore(path).remember('digest-a', 100);
      // Assess
      assert.equal(new FileTotpStepStore(path).lastStep('digest-a'), 100);
      assert.equal(new FileTotpStepStore(path).lastStep('digest-b'), undefined);
      assert.equal((await stat(path)).mode & 0o777, 0o600);
    });

    it('drops entries more than a few steps old', async () => {
      // Prepare
      const path = await tempPath();
      const store = new FileTotpStepStore(path);
      store.remember('old', 10);
      store.remember('recent', 98);
      // Act
      store.remember('now', 100);
      // Assess
      assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { recent: 98, now: 100 });
    });
  });

  describe('Method: lastStep', () => {
    it('treats a missing or corrupt file as empty', async () => {
      // Prepare
      const path = join(await mkdtemp(join(tmpdir(), 'token-broker-steps-')), 'totp-steps.json');
      const missing = new FileTotpStepStore(path).lastStep('x');
      await writeFile(path, '{not json');
      // Act
      const corrupt = new FileTotpStepStore(path).lastStep('x');
      // Assess
      assert.equal(missing, undefined);
      assert.equal(corrupt, undefined);
    });
  });

  describe('Method: defaultPath', () => {
    it('prefers TOKEN_BROKER_STATE_DIR, then XDG_STATE_HOME, then ~/.local/state', () => {
      // Act & Assess
      assert.equal(
        FileTotpStepStore.defaultPath({ TOKEN_BROKER_STATE_DIR: '/s', XDG_STATE_HOME: '/x' }),
        '/s/totp-steps.json',
      );
      assert.equal(
        FileTotpStepStore.defaultPath({ XDG_STATE_HOME: '/x' }),
        '/x/token-broker/totp-steps.json',
      );
      assert.match(
        FileTotpStepStore.defaultPath({}),
        /\/\.local\/state\/token-broker\/totp-steps\.json$/,
      );
    });
  });
});
