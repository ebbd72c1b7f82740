import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type BrokerConfig,
  ConfigError,
  parseBrokerConfig,
  parseBrokerConfigJson,
} from '../../../lambdas/config/index.ts';
import {
  code42ApiClientInstance,
  code42LocalAccountInstance,
  crisisworksInstance,
  oauth2Instance,
} from '../../fakes/index.ts';
import { FUZZ_PARAMETERS } from './fuzzRuns.ts';

const VALID = {
  parameterPrefix: '/token-broker/dev',
  instances: [
    crisisworksInstance('https://api.cw.crisisworks.com', 'sandbox'),
    code42ApiClientInstance('https://console.example.com'),
    code42LocalAccountInstance('https://console.example.com'),
    oauth2Instance('https://idp.example.org/token'),
  ],
};

/** URL-ish strings: real URLs with queries, fragments and user info, and text without a scheme. */
const urlish = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.webUrl().map((url) => url.replace('://', '://user:pw@')),
  fc.domain(),
  fc.string(),
  fc.constantFrom(
    'http://127.0.0.1:8080',
    'http://localhost',
    'ftp://x.example.org',
    'https://x.example.org?',
    'https://x.example.org#',
  ),
);
const secretIdish = fc.oneof(
  fc.string({ maxLength: 600 }),
  fc.stringMatching(/^[A-Za-z0-9/_+=.@*?-]{1,40}$/),
  fc
    .tuple(
      fc.constantFrom('aws', 'aws-cn', 'aws-us-gov', 'aws*'),
      fc.constantFrom('eu-west-1', '', '*'),
      fc.stringMatching(/^\d{10,13}$/),
      fc.string(),
    )
    .map(
      ([partition, region, account, name]) =>
        `arn:${partition}:secretsmanager:${region}:${account}:secret:${name}`,
    ),
);

/** The valid document with one field of one instance replaced. */
const mutated = fc
  .tuple(
    fc.integer({ min: 0, max: 3 }),
    fc.constantFrom(
      'baseUrl',
      'tokenUrl',
      'secretId',
      'maxLifetimeSeconds',
      'name',
      'site',
      'scope',
    ),
    fc.oneof(urlish, secretIdish, fc.anything(), fc.integer(), fc.double()),
  )
  .map(([index, field, value]) => ({
    ...VALID,
    instances: VALID.instances.map((instance, at) =>
      at === index ? { ...instance, [field]: value } : instance,
    ),
  }));

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** What is wrong with an accepted configuration, judged without the schema. */
function configViolation(config: BrokerConfig): string | undefined {
  for (const instance of config.instances) {
    const endpoints = [
      'baseUrl' in instance ? instance.baseUrl : undefined,
      'tokenUrl' in instance ? instance.tokenUrl : undefined,
    ].filter((value) => value !== undefined);
    for (const endpoint of endpoints) {
      const url = new URL(endpoint);
      const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname);
      if (!(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)))
        return 'not https';
      if (url.search !== '' || url.hash !== '' || /[?#]/.test(endpoint)) return 'query or fragment';
      if (url.username !== '' || url.password !== '') return 'user info';
    }
    const { secretId, maxLifetimeSeconds } = instance;
    if (secretId !== undefined) {
      const arn = secretId.startsWith('arn:');
      if (/[*?]/.test(secretId)) return 'wildcard secretId';
      if (!arn && !SECRET_NAME.test(secretId)) return 'bad secret name';
      if (arn && !/:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/.test(secretId))
        return 'partial ARN';
    }
    if (
      maxLifetimeSeconds !== undefined &&
      !(
        Number.isInteger(maxLifetimeSeconds) &&
        maxLifetimeSeconds >= 60 &&
        maxLifetimeSeconds <= 31_536_000
      )
    ) {
      return 'maxLifetimeSeconds out of range';
    }
  }
  return undefined;
}

function check(run: () => BrokerConfig): void {
  let config: BrokerConfig;
  try {
    config = run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return;
  }
  assert.equal(configViolation(config), undefined);
}

describe('Function: parseBrokerConfig (property-based)', () => {
  it('returns a valid configuration or throws ConfigError, for any value', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.anything(), fc.jsonValue()), (value) => {
        check(() => parseBrokerConfig(value, 'fuzz'));
      }),
      FUZZ_PARAMETERS,
    );
  });

  it('returns a valid configuration or throws ConfigError, for any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          mutated.map((value) => JSON.stringify(value)),
        ),
        (text) => {
          check(() => parseBrokerConfigJson(text, 'fuzz'));
        },
      ),
      FUZZ_PARAMETERS,
    );
  });
});
