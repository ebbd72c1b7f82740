import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildEnvelope,
  MalformedResponseError,
  REFRESH_WINDOW,
  refreshFraction,
} from '../../../lambdas/providers/index.ts';
import { parseEnvelope } from '../../../lambdas/reader/contract/index.ts';
import { crisisworksInstance, makeUnsignedJwt, oauth2Instance } from '../../fakes/index.ts';

const NINE = Date.parse('2026-11-22T09:00:00.000Z');
const instance = crisisworksInstance('https://api.cw.crisisworks.com', 'sandbox', 'cw-sandbox');

describe('Function: buildEnvelope', () => {
  it('builds the documented example: sent 09:00, 1 h token, refresh in its window', () => {
    // Prepare
    const token = makeUnsignedJwt({ exp: NINE / 1000 + 3600 });
    // Act
    const envelope = buildEnvelope(
      instance,
      {
        token,
        sentAt: NINE,
        baseUrl: 'https://api.cw.crisisworks.com',
        headers: { 'X-Site': 'sandbox' },
      },
      3600,
    );
    // Assess
    assert.deepEqual(envelope, {
      version: 1,
      name: 'cw-sandbox',
      provider: 'crisisworks',
      tokenType: 'Bearer',
      token,
      issuedAt: '2026-11-22T09:00:00.000Z',
      expiresAt: '2026-11-22T10:00:00.000Z',
      refreshAt: new Date(
        NINE + Math.floor(3_600_000 * refreshFraction('cw-sandbox', NINE)),
      ).toISOString(),
      baseUrl: 'https://api.cw.crisisworks.com',
      headers: { 'X-Site': 'sandbox' },
    });
    assert.equal(parseEnvelope(envelope).ok, true);
  });

  it('takes expires_in over the documented lifetime', () => {
    // Act
    const envelope = buildEnvelope(
      instance,
      { token: 'opaque', expiresIn: 900, sentAt: NINE },
      3600,
    );
    // Assess
    assert.equal(envelope.expiresAt, '2026-11-22T09:15:00.000Z');
    assert.equal(
      envelope.refreshAt,
      new Date(NINE + Math.floor(900_000 * refreshFraction('cw-sandbox', NINE))).toISOString(),
    );
  });

  it('spreads the refreshAt of a fleet published at once across the window', () => {
    // Act: 1,000 instances logged in to in the same millisecond, 1 h tokens
    const fractions = Array.from({ length: 1000 }, (_, index) => {
      const envelope = buildEnvelope(
        oauth2Instance('https://idp.example.org/token', {}, `i${index}`),
        { token: 'opaque', expiresIn: 3600, sentAt: NINE },
        300,
      );
      return (Date.parse(envelope.refreshAt) - NINE) / 3_600_000;
    });
    // Assess: all inside the window, and every tenth of it holds about a tenth of the fleet
    assert.ok(fractions.every((f) => f >= REFRESH_WINDOW.from && f < REFRESH_WINDOW.to));
    const width = (REFRESH_WINDOW.to - REFRESH_WINDOW.from) / 10;
    for (let bucket = 0; bucket < 10; bucket++) {
      const from = REFRESH_WINDOW.from + bucket * width;
      const inBucket = fractions.filter((f) => f >= from && f < from + width).length;
      assert.ok(inBucket > 50 && inBucket < 150, `bucket ${bucket} holds ${inBucket}`);
    }
  });

  it('gives the same login the same refreshAt, and another login another', () => {
    // Act & Assess
    assert.equal(refreshFraction('idp', NINE), refreshFraction('idp', NINE));
    assert.notEqual(refreshFraction('idp', NINE), refreshFraction('idp', NINE + 1));
    assert.notEqual(refreshFraction('idp', NINE), refreshFraction('idp2', NINE));
  });

  it('accepts expires_in as a string of digits', () => {
    // Act
    const envelope = buildEnvelope(
      instance,
      { token: 'opaque', expiresIn: '600', sentAt: NINE },
      3600,
    );
    // Assess
    assert.equal(envelope.expiresAt, '2026-11-22T09:10:00.000Z');
  });

  it('takes the earliest of expires_in and the JWT exp', () => {
    // Prepare
    const shortJwt = makeUnsignedJwt({ exp: NINE / 1000 + 300 });
    const longJwt = makeUnsignedJwt({ exp: NINE / 1000 + 7200 });
    // Act
    const byJwt = buildEnvelope(instance, { token: shortJwt, expiresIn: 3600, sentAt: NINE }, 3600);
    const byExpiresIn = buildEnvelope(
      instance,
      { token: longJwt, expiresIn: 3600, sentAt: NINE },
      3600,
    );
    // Assess
    assert.equal(byJwt.expiresAt, '2026-11-22T09:05:00.000Z');
    assert.equal(byExpiresIn.expiresAt, '2026-11-22T10:00:00.000Z');
  });

  it('trusts a JWT exp later than the documented lifetime: the server said so', () => {
    // Prepare
    const token = makeUnsignedJwt({ exp: NINE / 1000 + 7200 });
    // Act
    const envelope = buildEnvelope(instance, { token, sentAt: NINE }, 3600);
    // Assess
    assert.equal(envelope.expiresAt, '2026-11-22T11:00:00.000Z');
  });

  it('uses the documented lifetime when neither expires_in nor exp is known', () => {
    // Act
    const envelope = buildEnvelope(
      oauth2Instance('https://idp.example.org/token'),
      { token: 'opaque', sentAt: NINE },
      300,
    );
    // Assess
    assert.equal(envelope.expiresAt, '2026-11-22T09:05:00.000Z');
    assert.equal(envelope.provider, 'oauth2-client-credentials');
    assert.equal('baseUrl' in envelope, false);
  });

  for (const [what, expiresIn] of [
    ['ten years (an opaque token)', 315_360_000],
    ['an hour stated in milliseconds', 3_600_000],
    ['8.6e12 s, past the last Date', 8.6e12],
    ['1e308 s', 1e308],
    ['Infinity (JSON 1e400)', Number.POSITIVE_INFINITY],
    ['a string of 400 digits', '9'.repeat(400)],
  ] as const) {
    it(`caps a lifetime of ${what} at the default 24 h and reports it`, () => {
      // Prepare
      const notices: string[] = [];
      // Act
      const envelope = buildEnvelope(
        instance,
        { token: 'opaque-SECRET', expiresIn, sentAt: NINE },
        3600,
        (message) => notices.push(message),
      );
      // Assess
      assert.equal(envelope.expiresAt, '2026-11-23T09:00:00.000Z');
      assert.equal(parseEnvelope(envelope).ok, true);
      assert.equal(notices.length, 1);
      assert.match(
        notices[0] ?? '',
        /^instance "cw-sandbox" \(crisisworks\): the server's lifetime of .+ s is capped at maxLifetimeSeconds \(86400 s\)$/,
      );
      assert.ok(!notices[0]?.includes('opaque-SECRET'));
    });
  }

  it('names the stated lifetime in the notice', () => {
    // Prepare
    const notices: string[] = [];
    // Act
    buildEnvelope(instance, { token: 't', expiresIn: 315_360_000, sentAt: NINE }, 3600, (m) =>
      notices.push(m),
    );
    // Assess
    assert.deepEqual(notices, [
      'instance "cw-sandbox" (crisisworks): the server\'s lifetime of 315360000 s is capped at maxLifetimeSeconds (86400 s)',
    ]);
  });

  it("caps at the instance's maxLifetimeSeconds: expires_in, JWT exp and the documented lifetime", () => {
    // Prepare
    const capped = { ...instance, maxLifetimeSeconds: 600 };
    const notices: string[] = [];
    const onNotice = (message: string) => notices.push(message);
    // Act
    const byExpiresIn = buildEnvelope(
      capped,
      { token: 't', expiresIn: 900, sentAt: NINE },
      3600,
      onNotice,
    );
    const byJwt = buildEnvelope(
      capped,
      { token: makeUnsignedJwt({ exp: NINE / 1000 + 315_360_000 }), sentAt: NINE },
      3600,
      onNotice,
    );
    const byDocumented = buildEnvelope(capped, { token: 't', sentAt: NINE }, 3600, onNotice);
    // Assess
    for (const envelope of [byExpiresIn, byJwt, byDocumented]) {
      assert.equal(envelope.expiresAt, '2026-11-22T09:10:00.000Z');
      const refreshAt = Date.parse(envelope.refreshAt);
      assert.ok(refreshAt >= NINE + 0.55 * 600_000 && refreshAt < NINE + 0.75 * 600_000);
    }
    assert.deepEqual(notices, [
      'instance "cw-sandbox" (crisisworks): the server\'s lifetime of 900 s is capped at maxLifetimeSeconds (600 s)',
      'instance "cw-sandbox" (crisisworks): the server\'s lifetime of 315360000 s is capped at maxLifetimeSeconds (600 s)',
      'instance "cw-sandbox" (crisisworks): the documented lifetime of 3600 s is capped at maxLifetimeSeconds (600 s)',
    ]);
  });

  it('reports nothing for a lifetime within the cap, and needs no onNotice', () => {
    // Prepare
    const notices: string[] = [];
    // Act
    buildEnvelope(instance, { token: 't', expiresIn: 86_400, sentAt: NINE }, 3600, (m) =>
      notices.push(m),
    );
    const uncapped = buildEnvelope(instance, { token: 't', expiresIn: 1e9, sentAt: NINE }, 3600);
    // Assess
    assert.deepEqual(notices, []);
    assert.equal(uncapped.expiresAt, '2026-11-23T09:00:00.000Z');
  });

  const refusals: [string, Parameters<typeof buildEnvelope>[1], RegExp][] = [
    [
      'the token has a space',
      { token: 'abc def', sentAt: NINE },
      /the token contains spaces or tabs/,
    ],
    [
      'the token has a tab',
      { token: 'abc\tdef', sentAt: NINE },
      /the token contains spaces or tabs/,
    ],
    [
      'the lifetime is under the 60 s readers need',
      { token: 't', expiresIn: 59, sentAt: NINE },
      /the token lives 59 s, less than the 60 s a reader needs/,
    ],
    [
      'the JWT exp leaves less than 60 s',
      { token: makeUnsignedJwt({ exp: NINE / 1000 + 30 }), expiresIn: 3600, sentAt: NINE },
      /the token lives 30 s, less than the 60 s a reader needs/,
    ],
    [
      'expires_in is a tiny fraction',
      { token: 't', expiresIn: 1e-9, sentAt: NINE },
      /less than the 60 s a reader needs/,
    ],
    ['the token is empty', { token: '', sentAt: NINE }, /token is empty/],
    ['the token has a line feed', { token: 'a\nb', sentAt: NINE }, /not allowed in an HTTP header/],
    ['the token has non-ASCII', { token: 'tökén', sentAt: NINE }, /not allowed in an HTTP header/],
    ['expires_in is zero', { token: 't', expiresIn: 0, sentAt: NINE }, /expires_in/],
    ['expires_in is text', { token: 't', expiresIn: 'an hour', sentAt: NINE }, /expires_in/],
    [
      'the JWT expired before the request',
      { token: makeUnsignedJwt({ exp: NINE / 1000 - 1 }), sentAt: NINE },
      /already expired/,
    ],
    [
      'the token type is not a scheme',
      { token: 't', tokenType: 'Be arer', sentAt: NINE },
      /token type/,
    ],
    ['the token type is not text', { token: 't', tokenType: 42, sentAt: NINE }, /token type/],
    [
      'an extra header is not header-safe',
      { token: 't', sentAt: NINE, headers: { 'X-Site': 'a\r\nb' } },
      /envelope is invalid: header "X-Site"/,
    ],
  ];
  for (const [what, login, message] of refusals) {
    it(`throws MalformedResponseError, naming the instance, when ${what}`, () => {
      // Act & Assess
      assert.throws(
        () => buildEnvelope(instance, login, 3600),
        (error: Error) =>
          error instanceof MalformedResponseError &&
          error.instance === 'cw-sandbox' &&
          error.message.startsWith('instance "cw-sandbox" (crisisworks): ') &&
          message.test(error.message),
      );
    });
  }
});
