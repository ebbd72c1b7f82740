import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { packageFile } from '../../infra/components/index.ts';
import { parseStackConfig, settingsSchema } from '../../infra/settings/index.ts';
import { threeCredentials } from './fixtures.ts';

const python = fileURLToPath(new URL('../../.venv/bin/python', import.meta.url));

/** Pulumi.example.yaml's `config`, read by an independent YAML parser (PyYAML, in the moto venv). */
async function exampleConfig(): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(python, [
    '-c',
    'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))["config"]))',
    packageFile('Pulumi.example.yaml'),
  ]);
  return JSON.parse(stdout);
}

/** Config values as Pulumi hands them to a program: objects as JSON text, scalars as text. */
function asPulumiValues(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === 'object' ? JSON.stringify(value) : String(value),
    ]),
  );
}

describe('File: Pulumi.example.yaml', () => {
  it('is a valid stack config that sets every setting', async () => {
    // Prepare
    const values = asPulumiValues(await exampleConfig());
    // Act
    const settings = parseStackConfig({
      values: { ...values, 'token-broker:credentials': JSON.stringify(threeCredentials) },
      secretKeys: new Set(['token-broker:credentials']),
    });
    // Assess
    assert.deepEqual(
      settings.config.instances.map((instance) => instance.type),
      [
        'crisisworks',
        'code42-api-client',
        'code42-local-account',
        'oauth2-client-credentials',
        'oauth2-client-credentials',
      ],
    );
    assert.equal(settings.scheduleSeconds, 300);
    assert.equal(settings.exampleConsumer, true);
    const documented = Object.keys(values)
      .filter((key) => key.startsWith('token-broker:'))
      .map((key) => key.slice('token-broker:'.length));
    const settable = Object.keys(settingsSchema.shape).filter((key) => key !== 'credentials');
    assert.deepEqual(documented.sort(), settable.sort(), 'every setting but credentials is shown');
  });
});
