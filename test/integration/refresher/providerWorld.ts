import { randomBytes } from 'node:crypto';
import type { BrokerConfig } from '../../../lambdas/config/index.ts';
import { parseBrokerConfig } from '../../../lambdas/config/index.ts';
import {
  code42ApiClientInstance,
  code42LocalAccountInstance,
  crisisworksInstance,
  type FakeOAuth2Server,
  type FakeProviderServer,
  oauth2Instance,
  startFakeCode42,
  startFakeCrisisworks,
  startFakeOAuth2,
} from '../../fakes/index.ts';
import { createStateTable, PREFIX, seedSecrets } from './fixtures.ts';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A fresh random base32 TOTP seed (a new seed per test: the process-wide guard never waits). */
export function randomSeed(): string {
  return [...randomBytes(20)].map((byte) => BASE32[byte % 32]).join('');
}

/** The four provider instances of the refresher's tests and their fake servers. */
export interface ProviderWorld {
  readonly config: BrokerConfig;
  /** Credentials JSON by instance name, as stored in each secret. */
  readonly credentials: Readonly<Record<string, Record<string, string>>>;
  readonly crisisworks: FakeProviderServer;
  readonly code42: FakeProviderServer;
  readonly oauth2: FakeOAuth2Server;
  /** Every secret value and TOTP seed, to look for in captured output. */
  readonly secrets: readonly string[];
  close(): Promise<void>;
}

/** Instance names in configuration order. */
export const WORLD_NAMES = ['cw-sandbox', 'c42-api', 'c42-admin', 'idp'] as const;

/**
 * Starts fake Crisisworks (TOTP on), Code42 (an API client and a TOTP local account) and OAuth2
 * servers, and writes each instance's credentials secret into the current moto.
 */
export async function startProviderWorld(
  options: { latencyMs?: number; prefix?: string } = {},
): Promise<ProviderWorld> {
  const latency = options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs };
  const credentials = {
    'cw-sandbox': {
      username: 'ops@example.org',
      password: 'cw-pass:wörd-1',
      totpSecret: randomSeed(),
    },
    'c42-api': { clientId: 'key-42', clientSecret: 'c42-client-secret-1' },
    'c42-admin': {
      username: 'admin@example.org',
      password: 'c42-pass:2',
      totpSecret: randomSeed(),
    },
    idp: { clientId: 'broker', clientSecret: 'idp-client-secret-1' },
  };
  const crisisworks = await startFakeCrisisworks({
    site: 'sandbox',
    ...credentials['cw-sandbox'],
    ...latency,
  });
  const code42 = await startFakeCode42({
    apiClients: [credentials['c42-api']],
    localAccounts: [credentials['c42-admin']],
    ...latency,
  });
  const oauth2 = await startFakeOAuth2({ ...credentials.idp, clientAuth: 'basic', ...latency });
  const prefix = options.prefix ?? PREFIX;
  const config = parseBrokerConfig(
    {
      parameterPrefix: prefix,
      instances: [
        crisisworksInstance(crisisworks.url, 'sandbox', 'cw-sandbox'),
        code42ApiClientInstance(code42.url, 'c42-api'),
        code42LocalAccountInstance(code42.url, 'c42-admin'),
        oauth2Instance(oauth2.tokenUrl, { clientAuth: 'basic' }, 'idp'),
      ],
    },
    'test',
  );
  await seedSecrets(
    WORLD_NAMES,
    (name) => JSON.stringify(credentials[name as keyof typeof credentials]),
    prefix,
  );
  await createStateTable(config.stateTable);
  return {
    config,
    credentials,
    crisisworks,
    code42,
    oauth2,
    secrets: Object.values(credentials).flatMap((value) =>
      Object.entries(value)
        .filter(([key]) => key !== 'username' && key !== 'clientId')
        .map(([, secret]) => secret),
    ),
    close: async () => {
      await Promise.all([crisisworks.close(), code42.close(), oauth2.close()]);
    },
  };
}
