import { randomUUID } from 'node:crypto';
import { type BrokerConfig, parseBrokerConfig } from '../../../lambdas/config/index.ts';
import type { TokenEnvelope } from '../../../lambdas/reader/contract/index.ts';
import {
  code42ApiClientInstance,
  code42LocalAccountInstance,
  crisisworksInstance,
  type FakeProviderServer,
  oauth2Instance,
  randomTotpSeed,
  startFakeCode42,
  startFakeCrisisworks,
  startFakeOAuth2,
} from '../../fakes/index.ts';
import { createStateTable, PREFIX, seedSecrets, storeEnvelope } from '../refresher/fixtures.ts';

/** The fleet's instances, one per provider type, in configuration order. */
export const FLEET = ['cw-sandbox', 'c42-api', 'c42-admin', 'idp'] as const;

/** One instance of the fleet. */
export type FleetName = (typeof FLEET)[number];

/** `idp`'s own lifetime cap, below the default 24 h, so a capped lifetime shows which cap applied. */
export const IDP_MAX_LIFETIME_SECONDS = 43_200;

/** How a fault changes the fleet before it starts. */
export interface FleetOptions {
  /** Instances whose vendor runs on another clock (TOTP checks and token times), epoch ms. */
  readonly vendorClocks?: Partial<Record<FleetName, () => number>>;
  /** Instances whose login endpoint is another server (`http://127.0.0.1:PORT`). */
  readonly endpoints?: Partial<Record<FleetName, string>>;
}

/** A healthy fleet of four instances, each with its own fake vendor, and what it stores. */
export interface FaultFleet {
  readonly config: BrokerConfig;
  /** The credentials JSON each instance's secret holds. */
  readonly credentials: FleetCredentials;
  /** Each instance's own fake vendor. */
  readonly vendors: Readonly<Record<FleetName, FakeProviderServer>>;
  /** The envelope stored for each instance before the run: valid, due, not expired. */
  readonly previous: Readonly<Record<FleetName, TokenEnvelope>>;
  close(): Promise<void>;
}

/**
 * Credentials with characters that encode differently as JSON, percent-encoding and base64 (`:`,
 * `/`, `+`, `%`, a space, non-ASCII), so a leak in any form is found. TOTP seeds are new per fleet.
 */
function fleetCredentials() {
  return {
    'cw-sandbox': {
      username: 'ops@example.org',
      password: 'cw-pass:wörd/+%1',
      totpSecret: randomTotpSeed(),
    },
    'c42-api': { clientId: 'key-42', clientSecret: 'c42-secret/+=ä 1' },
    'c42-admin': {
      username: 'admin@example.org',
      password: 'c42-pass:ö/+% 2',
      totpSecret: randomTotpSeed(),
    },
    idp: { clientId: 'broker', clientSecret: 'idp-secret ü/+%3' },
  };
}

/** The credentials of the fleet's instances, by name. */
export type FleetCredentials = ReturnType<typeof fleetCredentials>;

const MINUTE = 60_000;

/** A stored envelope like the refresher's, issued 50 min ago for 1 h: due, valid 10 more minutes. */
function previousEnvelope(config: BrokerConfig, name: FleetName): TokenEnvelope {
  const instance = config.instances.find((candidate) => candidate.name === name);
  if (instance === undefined) throw new Error(`no instance ${name}`);
  const issuedAt = Date.now() - 50 * MINUTE;
  return {
    version: 1,
    name,
    provider: instance.type,
    tokenType: 'Bearer',
    token: `previous-${name}-${randomUUID()}`,
    issuedAt: new Date(issuedAt).toISOString(),
    expiresAt: new Date(issuedAt + 60 * MINUTE).toISOString(),
    refreshAt: new Date(issuedAt + 35 * MINUTE).toISOString(),
    headers: instance.type === 'crisisworks' ? { 'X-Site': 'sandbox' } : {},
  };
}

/**
 * Starts a fake Crisisworks (TOTP), a Code42 API client, a Code42 local account (TOTP) and an
 * OAuth2 server, each on its own port so a fault reaches one instance only, and writes into the
 * current moto each instance's credentials secret, the state table and a previous envelope.
 */
export async function startFaultFleet(options: FleetOptions = {}): Promise<FaultFleet> {
  const credentials = fleetCredentials();
  const clock = (name: FleetName) => {
    const now = options.vendorClocks?.[name];
    return now === undefined ? {} : { now };
  };
  const vendors = {
    'cw-sandbox': await startFakeCrisisworks({
      site: 'sandbox',
      ...credentials['cw-sandbox'],
      ...clock('cw-sandbox'),
    }),
    'c42-api': await startFakeCode42({
      apiClients: [credentials['c42-api']],
      ...clock('c42-api'),
    }),
    'c42-admin': await startFakeCode42({
      localAccounts: [credentials['c42-admin']],
      ...clock('c42-admin'),
    }),
    idp: await startFakeOAuth2({ ...credentials.idp, clientAuth: 'basic', ...clock('idp') }),
  };
  const url = (name: FleetName, own: string) => options.endpoints?.[name] ?? own;
  const config = parseBrokerConfig(
    {
      parameterPrefix: PREFIX,
      instances: [
        crisisworksInstance(url('cw-sandbox', vendors['cw-sandbox'].url), 'sandbox', 'cw-sandbox'),
        code42ApiClientInstance(url('c42-api', vendors['c42-api'].url), 'c42-api'),
        code42LocalAccountInstance(url('c42-admin', vendors['c42-admin'].url), 'c42-admin'),
        {
          ...oauth2Instance(url('idp', vendors.idp.tokenUrl), { clientAuth: 'basic' }, 'idp'),
          maxLifetimeSeconds: IDP_MAX_LIFETIME_SECONDS,
        },
      ],
    },
    'fault fleet',
  );
  const previous = Object.fromEntries(
    FLEET.map((name) => [name, previousEnvelope(config, name)]),
  ) as Record<FleetName, TokenEnvelope>;
  await Promise.all([
    ...FLEET.map((name) => seedSecrets([name], () => JSON.stringify(credentials[name]))),
    ...FLEET.map((name) => storeEnvelope(previous[name])),
    createStateTable(config.stateTable),
  ]);
  return {
    config,
    credentials,
    vendors,
    previous,
    close: async () => {
      await Promise.all(Object.values(vendors).map((vendor) => vendor.close()));
    },
  };
}
