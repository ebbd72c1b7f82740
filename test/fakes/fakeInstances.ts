import {
  type InstanceConfig,
  type InstanceConfigOf,
  instanceConfigSchema,
} from '../../lambdas/config/index.ts';
import type { LoginOptions } from '../../lambdas/providers/index.ts';
import { TotpGuard } from '../../lambdas/totp/index.ts';

/** Validates an instance configuration as the broker would. */
function instance<T extends InstanceConfig['type']>(value: unknown): InstanceConfigOf<T> {
  return instanceConfigSchema.parse(value) as InstanceConfigOf<T>;
}

/** A `crisisworks` instance for a fake server. */
export function crisisworksInstance(baseUrl: string, site: string, name = 'cw') {
  return instance<'crisisworks'>({
    name,
    type: 'crisisworks',
    baseUrl,
    site,
    client: {
      uuid: 'https://ops.example.org',
      platform: 'Linux',
      name: 'token-broker',
      version: '1',
    },
  });
}

/** A `code42-api-client` instance for a fake server. */
export function code42ApiClientInstance(baseUrl: string, name = 'c42') {
  return instance<'code42-api-client'>({ name, type: 'code42-api-client', baseUrl });
}

/** A `code42-local-account` instance for a fake server. */
export function code42LocalAccountInstance(baseUrl: string, name = 'c42-admin') {
  return instance<'code42-local-account'>({ name, type: 'code42-local-account', baseUrl });
}

/** An `oauth2-client-credentials` instance for a fake server. */
export function oauth2Instance(
  tokenUrl: string,
  extra: {
    clientAuth?: 'basic' | 'post' | 'private_key_jwt';
    scope?: string;
    audience?: string;
    baseUrl?: string;
  } = {},
  name = 'idp',
) {
  return instance<'oauth2-client-credentials'>({
    name,
    type: 'oauth2-client-credentials',
    tokenUrl,
    ...extra,
  });
}

/** An `oauth2-refresh-token` instance for a fake server. */
export function refreshTokenInstance(
  tokenUrl: string,
  extra: {
    clientAuth?: 'basic' | 'post' | 'none' | 'private_key_jwt';
    scope?: string;
    baseUrl?: string;
    authorizeUrl?: string;
    redirectPort?: number;
  } = {},
  name = 'rt',
) {
  return instance<'oauth2-refresh-token'>({
    name,
    type: 'oauth2-refresh-token',
    tokenUrl,
    ...extra,
  });
}

/** An `http-json-login` instance from its request and response description. */
export function httpJsonLoginInstance(
  baseUrl: string,
  shape: { request: unknown; response: unknown; apiHeaders?: Record<string, string> },
  name = 'vendor',
) {
  return instance<'http-json-login'>({ name, type: 'http-json-login', baseUrl, ...shape });
}

/**
 * A TOTP guard whose waits take no time: sleeping moves its clock ahead instead. With
 * `minRemainingMs: 0` its first code is the current one and the next is one step ahead, which the
 * fakes accept (one step of drift) as long as it is not a replay.
 */
export function instantTotpGuard(): TotpGuard {
  let offset = 0;
  return new TotpGuard({
    now: () => Date.now() + offset,
    sleep: async (ms) => {
      offset += ms;
    },
    minRemainingMs: 0,
  });
}

/** Login options for tests: no backoff waits, a fresh instant TOTP guard. */
export function fastLoginOptions(extra: LoginOptions = {}): LoginOptions {
  return { sleep: async () => {}, random: () => 0, totpGuard: instantTotpGuard(), ...extra };
}
