import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvelope } from '../../../lambdas/envelope/index.ts';
import {
  buildEnvelope,
  MalformedResponseError,
  REFRESH_WINDOW,
  refreshFraction,
} from '../../../lambdas/providers/index.ts';
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

  const refusals: [string, Parameters<typeof buildEnvelope>[1], RegExp][] = [
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
