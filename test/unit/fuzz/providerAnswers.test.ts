import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Credentials, InstanceConfig } from '../../../lambdas/config/index.ts';
import type { HttpResponse } from '../../../lambdas/http/index.ts';
import { createLoginContext } from '../../../lambdas/providers/createLoginContext.ts';
import {
  buildEnvelope,
  MalformedResponseError,
  ProviderError,
  providers,
  type TokenProvider,
} from '../../../lambdas/providers/index.ts';
import { TOKEN_LIFETIME } from '../../../lambdas/reader/contract/index.ts';
import {
  code42ApiClientInstance,
  code42LocalAccountInstance,
  crisisworksInstance,
  instantTotpGuard,
  makeUnsignedJwt,
  oauth2Instance,
} from '../../fakes/index.ts';
import { envelopeViolation } from './envelopeOracle.ts';
import { FUZZ_PARAMETERS } from './fuzzRuns.ts';

const NOW = Date.parse('2026-11-22T09:00:00.000Z');
const SECRET = 'Sé/cr+t wörd"Ω';
const instances: readonly [InstanceConfig, Credentials][] = [
  [
    crisisworksInstance('https://api.cw.example.org', 'sandbox'),
    { username: 'u', password: SECRET },
  ],
  [code42LocalAccountInstance('https://c42.example.org'), { username: 'u', password: SECRET }],
  [code42ApiClientInstance('https://c42.example.org'), { clientId: 'k', clientSecret: SECRET }],
  [oauth2Instance('https://idp.example.org/token'), { clientId: 'k', clientSecret: SECRET }],
];

/** Values a server may put where a lifetime or a token type belongs. */
const jsonish = fc.oneof(
  fc.jsonValue(),
  fc.double(),
  fc.constantFrom(
    315_360_000,
    8.6e12,
    1e308,
    Number.POSITIVE_INFINITY,
    3_600_000,
    59,
    0,
    -1,
    '3600',
    '9'.repeat(40),
  ),
);
const tokens = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc
    .integer({ min: -1e6, max: 1e10 })
    .map((offset) => makeUnsignedJwt({ exp: NOW / 1000 + offset })),
  fc.constantFrom('a b', 'a\tb', 'a\r\nX-Evil: 1', ''),
);

describe('Function: buildEnvelope (property-based)', () => {
  it('returns a valid envelope within the cap, or throws MalformedResponseError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...instances),
        fc.option(fc.integer({ min: 60, max: TOKEN_LIFETIME.maxSeconds }), { nil: undefined }),
        fc.record(
          {
            token: tokens,
            tokenType: jsonish,
            expiresIn: jsonish,
            sentAt: fc.integer({ min: NOW - 1e12, max: NOW + 1e12 }),
            headers: fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
          },
          { requiredKeys: ['token', 'sentAt'] },
        ),
        fc.integer({ min: 1, max: 100_000 }),
        ([instance], maxLifetimeSeconds, login, documented) => {
          const capped = { ...instance, maxLifetimeSeconds };
          const notices: string[] = [];
          let envelope: ReturnType<typeof buildEnvelope>;
          try {
            envelope = buildEnvelope(capped, login, documented, (notice) => notices.push(notice));
          } catch (error) {
            assert.ok(error instanceof MalformedResponseError, String(error));
            return;
          }
          const cap = (maxLifetimeSeconds ?? TOKEN_LIFETIME.defaultMaxSeconds) * 1000;
          assert.equal(envelopeViolation(envelope, cap), undefined);
          const lifetime = Date.parse(envelope.expiresAt) - Date.parse(envelope.issuedAt);
          assert.ok(lifetime >= TOKEN_LIFETIME.minSeconds * 1000, `lifetime ${lifetime}`);
          // A short token ("2") is in any number; a real one is never in a notice.
          const token = envelope.token;
          assert.ok(token.length < 8 || notices.every((notice) => !notice.includes(token)));
        },
      ),
      FUZZ_PARAMETERS,
    );
  });
});

describe('Function: buildEnvelope (property-based, valid answers)', () => {
  it('accepts a visible-ASCII token with a lifetime of 60 s or more, capped', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...instances),
        fc.stringMatching(/^[\x21-\x7e]{1,64}$/),
        fc.oneof(
          fc.integer({ min: 60, max: 1e12 }),
          fc.double({ min: 60, max: 1e300, noNaN: true }),
        ),
        ([instance], token, expiresIn) => {
          // Act
          const envelope = buildEnvelope(instance, { token, expiresIn, sentAt: NOW }, 300);
          // Assess
          const lifetime = Date.parse(envelope.expiresAt) - NOW;
          const expected = Math.min(expiresIn * 1000, TOKEN_LIFETIME.defaultMaxSeconds * 1000);
          assert.ok(Math.abs(lifetime - expected) <= 1, `${lifetime} vs ${expected}`);
        },
      ),
      FUZZ_PARAMETERS,
    );
  });
});

/** A response with any status and body, as `send` would return it. */
const responses = fc.record({
  status: fc.oneof(
    fc.constantFrom(200, 400, 401, 403, 404, 429, 500, 503),
    fc.integer({ min: 100, max: 599 }),
  ),
  body: fc.oneof(
    fc.string(),
    fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
    fc
      .record(
        {
          access_token: tokens,
          token_type: jsonish,
          expires_in: jsonish,
          token: tokens,
          status: fc.oneof(fc.constant(200), fc.integer()),
          data: fc.oneof(fc.record({ v3_user_token: tokens }), fc.jsonValue()),
          error: fc.oneof(fc.string(), fc.constant('invalid_client'), fc.jsonValue()),
          error_description: fc.string(),
          message: fc.string(),
        },
        { requiredKeys: [] },
      )
      .map((value) => JSON.stringify(value)),
    // Error bodies that echo the secret in a known field, raw or encoded
    fc
      .tuple(
        fc.constantFrom('error', 'error_description', 'message', 'description', 'primaryErrorKey'),
        fc.constantFrom(
          SECRET,
          SECRET.toUpperCase(),
          SECRET.normalize('NFD'),
          encodeURIComponent(SECRET).toLowerCase(),
          Buffer.from(SECRET).toString('base64'),
          JSON.stringify(SECRET)
            .slice(1, -1)
            .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
        ),
        fc.string(),
        fc.string(),
      )
      .map(([field, echo, before, after]) =>
        JSON.stringify({ [field]: `${before}${echo}${after}` }),
      ),
  ),
});

describe("Providers' answer readers (property-based)", () => {
  it('turn any answer into a valid envelope or a ProviderError that never holds the secret', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...instances),
        responses,
        async ([instance, credentials], answer) => {
          // Prepare: the provider's own login, with `send` answering what the property says
          const context = createLoginContext(instance, credentials as never, {
            totpGuard: instantTotpGuard(),
          });
          const response: HttpResponse = {
            ...answer,
            headers: new Headers({ 'content-type': 'application/json' }),
            sentAt: NOW,
            attempt: 1,
          };
          const provider = providers[instance.type] as TokenProvider<typeof instance.type>;
          // Act
          try {
            const login = await provider.login({ ...context, send: async () => response } as never);
            const envelope = buildEnvelope(instance, login, provider.documentedLifetimeSeconds);
            // Assess
            assert.equal(answer.status === 200, true);
            assert.equal(
              envelopeViolation(envelope, TOKEN_LIFETIME.defaultMaxSeconds * 1000),
              undefined,
            );
          } catch (error) {
            assert.ok(error instanceof ProviderError, String(error));
            assert.equal(error.instance, instance.name);
            const text = error.message.normalize('NFC').toLowerCase();
            assert.ok(!text.includes(SECRET.toLowerCase()), error.message);
            assert.ok(
              !error.message.includes(Buffer.from(SECRET).toString('base64')),
              error.message,
            );
          }
        },
      ),
      FUZZ_PARAMETERS,
    );
  });
});
