import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import type { Credentials, InstanceConfig } from '../../../lambdas/config/index.ts';
import { loginInstance, ProviderError } from '../../../lambdas/providers/index.ts';
import {
  code42ApiClientInstance,
  code42LocalAccountInstance,
  crisisworksInstance,
  type FakeProviderServer,
  type FakeRequest,
  fastLoginOptions,
  oauth2Instance,
  parseBasicAuth,
  startFakeServer,
} from '../../fakes/index.ts';

/** A secret with everything an encoder changes: non-ASCII (NFC é), '/', space, '+', '"', 'ß'. */
const SECRET = 'Sé/cr+t wörd"Ωß~9';

const hex = (unit: string, upper: boolean) => {
  const digits = unit.charCodeAt(0).toString(16).padStart(4, '0');
  return `\\u${upper ? digits.toUpperCase() : digits}`;
};
const phpJson = (text: string, upper = false) =>
  JSON.stringify(text)
    .slice(1, -1)
    .replace(/[^\x20-\x7e]/g, (unit) => hex(unit, upper))
    .replaceAll('/', '\\/');
const lowerPercent = (text: string) =>
  encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (digits) => digits.toLowerCase());

/** Each form a server may echo a secret in, computed here independently of the redactor. */
function echoForms(secret: string): Record<string, string> {
  const nfd = secret.normalize('NFD');
  return {
    raw: secret,
    'JSON, PHP-style \\u00e9 and \\/': phpJson(secret),
    'JSON, upper-case \\u00E9': phpJson(secret, true),
    'JSON, standard': JSON.stringify(secret).slice(1, -1),
    'percent-encoded, lower case': lowerPercent(secret),
    'percent-encoded, upper case': encodeURIComponent(secret),
    'form-encoded, + for space': new URLSearchParams({ x: secret }).toString().slice(2),
    'upper-cased': secret.toUpperCase(),
    'lower-cased': secret.toLowerCase(),
    base64: Buffer.from(secret).toString('base64'),
    'base64, unpadded': Buffer.from(secret).toString('base64').replace(/=+$/, ''),
    base64url: Buffer.from(secret).toString('base64url'),
    NFD: nfd,
    'NFD, percent-encoded lower case': lowerPercent(nfd),
    'NFD, PHP-style JSON': phpJson(nfd),
    'base64 of NFD': Buffer.from(nfd).toString('base64'),
    'percent-encoded PHP JSON': lowerPercent(phpJson(secret)),
  };
}

/** Everything an error exposes: message, stack, cause chain and own properties. */
function everythingIn(error: unknown): string {
  return [String(error), inspect(error, { depth: null }), JSON.stringify(error)].join('\n');
}

/** The forms of the secret found in `text`, also compared without case and in NFC. */
function leakedForms(text: string, secret: string): string[] {
  const leaks = Object.entries(echoForms(secret))
    .filter(([, form]) => text.includes(form))
    .map(([name]) => name);
  const folded = text.normalize('NFC').toLowerCase();
  if (folded.includes(secret.normalize('NFC').toLowerCase())) leaks.push('any case');
  return leaks;
}

interface Case {
  readonly type: string;
  readonly instance: (url: string) => InstanceConfig;
  readonly credentials: Credentials;
  /** The secret as the server received it. */
  readonly received: (request: FakeRequest) => string;
}

const cases: readonly Case[] = [
  {
    type: 'crisisworks',
    instance: (url) => crisisworksInstance(url, 'sandbox'),
    credentials: { username: 'ops@example.org', password: SECRET },
    received: (request) => (JSON.parse(request.body) as { password: string }).password,
  },
  {
    type: 'code42-local-account',
    instance: (url) => code42LocalAccountInstance(url),
    credentials: { username: 'ops@example.org', password: SECRET },
    received: (request) => parseBasicAuth(request.headers.authorization)?.password ?? '',
  },
  {
    type: 'code42-api-client',
    instance: (url) => code42ApiClientInstance(url),
    credentials: { clientId: 'key-1', clientSecret: SECRET },
    received: (request) => parseBasicAuth(request.headers.authorization)?.password ?? '',
  },
  {
    type: 'oauth2-client-credentials',
    instance: (url) => oauth2Instance(`${url}/oauth2/token`, { clientAuth: 'post' }),
    credentials: { clientId: 'app', clientSecret: SECRET },
    received: (request) => new URLSearchParams(request.body).get('client_secret') ?? '',
  },
];

/** Error bodies carrying an echo in every known field: OAuth2/Crisisworks style, and Code42's array. */
const bodies: readonly [string, number, (echo: string) => unknown][] = [
  [
    'every known field',
    400,
    (echo) => ({
      error: 'invalid_request',
      error_description: `got ${echo}`,
      message: `got ${echo}`,
      description: `got ${echo}`,
      primaryErrorKey: echo,
    }),
  ],
  ['a Code42 error array', 401, (echo) => [{ primaryErrorKey: echo, description: `got ${echo}` }]],
  ['OAuth2 invalid_client', 401, (echo) => ({ error: 'invalid_client', error_description: echo })],
];

describe('Providers: secrets a server echoes in an error body', () => {
  let server: FakeProviderServer;
  before(async () => {
    server = await startFakeServer(() => ({ status: 500, body: 'not scripted' }));
  });
  after(async () => {
    await server.close();
  });

  for (const { type, instance, credentials, received } of cases) {
    for (const [formName, encode] of Object.entries(echoForms(SECRET)).map(
      ([name]) => [name, (secret: string) => echoForms(secret)[name] ?? ''] as const,
    )) {
      for (const [shape, status, body] of bodies) {
        it(`${type}: redacts the ${formName} form echoed in ${shape}`, async () => {
          // Prepare: the server encodes what it received and sends it back
          let echoed = '';
          server.enqueue((request) => {
            echoed = encode(received(request));
            return { status, body: body(echoed) };
          });
          const notices: string[] = [];
          // Act
          const error = await loginInstance(
            instance(server.url),
            credentials,
            fastLoginOptions({ onNotice: (message) => notices.push(message) }),
          ).then(
            () => assert.fail('the login succeeded'),
            (thrown: unknown) => thrown,
          );
          // Assess
          assert.ok(error instanceof ProviderError, String(error));
          assert.ok(echoed.length > 0 && received.length > 0);
          const output = `${everythingIn(error)}\n${notices.join('\n')}`;
          assert.deepEqual(leakedForms(output, SECRET), [], output);
          assert.match(error.message, /\[redacted\]/);
        });
      }
    }
  }
});
