import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvelope, parseEnvelopeJson } from '../../../../lambdas/reader/contract/index.ts';

/** The README's example envelope. */
const EXAMPLE = {
  version: 1,
  name: 'cw-sandbox',
  provider: 'crisisworks',
  tokenType: 'Bearer',
  token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
  issuedAt: '2026-11-22T09:00:00.000Z',
  expiresAt: '2026-11-22T10:00:00.000Z',
  refreshAt: '2026-11-22T09:40:00.000Z',
  baseUrl: 'https://api.cw.crisisworks.com',
  headers: { 'X-Site': 'sandbox' },
};

function reasonFor(value: unknown): string | undefined {
  const result = parseEnvelope(value);
  return result.ok ? undefined : result.reason;
}

describe('Function: parseEnvelope', () => {
  it('accepts the README example, and without baseUrl', () => {
    // Act
    const full = parseEnvelope(EXAMPLE);
    const { baseUrl: _omitted, ...withoutBaseUrl } = EXAMPLE;
    const minimal = parseEnvelope({ ...withoutBaseUrl, headers: {} });
    // Assess
    assert.deepEqual(full, { ok: true, envelope: EXAMPLE });
    assert.equal(minimal.ok, true);
  });

  const problems: [string, unknown, string][] = [
    ['not an object', [EXAMPLE], 'the value is not a JSON object'],
    ['null', null, 'the value is not a JSON object'],
    ['an unknown field', { ...EXAMPLE, secret: 'x' }, 'unknown field "secret"'],
    ['another version', { ...EXAMPLE, version: 2 }, 'unsupported version (expected 1)'],
    ['an empty token', { ...EXAMPLE, token: '' }, '"token" must be a non-empty string'],
    [
      'a token with CR LF',
      { ...EXAMPLE, token: 'a\r\nb' },
      '"token" contains characters not allowed in an HTTP header',
    ],
    ['a numeric name', { ...EXAMPLE, name: 5 }, '"name" must be a non-empty string'],
    [
      'a local time',
      { ...EXAMPLE, issuedAt: '2026-11-22T09:00:00+01:00' },
      '"issuedAt" must be an ISO 8601 UTC instant',
    ],
    [
      'an impossible date',
      { ...EXAMPLE, expiresAt: '2026-13-45T99:00:00Z' },
      '"expiresAt" must be an ISO 8601 UTC instant',
    ],
    [
      'expiry before issue',
      { ...EXAMPLE, expiresAt: '2026-11-22T08:00:00.000Z' },
      '"expiresAt" must be after "issuedAt"',
    ],
    [
      'refresh after expiry',
      { ...EXAMPLE, refreshAt: '2026-11-22T10:00:01.000Z' },
      '"refreshAt" must lie between "issuedAt" and "expiresAt"',
    ],
    [
      'a date that does not exist',
      { ...EXAMPLE, issuedAt: '2026-02-30T00:00:00Z' },
      '"issuedAt" must be an ISO 8601 UTC instant',
    ],
    [
      'the 31st of a 30-day month',
      { ...EXAMPLE, expiresAt: '2026-11-31T10:00:00.000Z' },
      '"expiresAt" must be an ISO 8601 UTC instant',
    ],
    [
      'hour 24',
      { ...EXAMPLE, refreshAt: '2026-11-22T24:00:00Z' },
      '"refreshAt" must be an ISO 8601 UTC instant',
    ],
    [
      'a leap second',
      { ...EXAMPLE, refreshAt: '2026-11-22T09:59:60Z' },
      '"refreshAt" must be an ISO 8601 UTC instant',
    ],
    [
      'a tokenType of two words',
      { ...EXAMPLE, tokenType: 'Bearer other' },
      '"tokenType" must be an HTTP authentication scheme (one RFC 9110 token)',
    ],
    [
      'a tokenType with a comma',
      { ...EXAMPLE, tokenType: 'Bearer,x' },
      '"tokenType" must be an HTTP authentication scheme (one RFC 9110 token)',
    ],
    [
      'a token with a space',
      { ...EXAMPLE, token: 'abc def' },
      '"token" must be visible ASCII characters only (no spaces, tabs or controls)',
    ],
    [
      'a token with a tab',
      { ...EXAMPLE, token: 'abc\tdef' },
      '"token" must be visible ASCII characters only (no spaces, tabs or controls)',
    ],
    [
      'a lifetime beyond 365 days',
      { ...EXAMPLE, expiresAt: '2027-11-22T09:00:00.001Z' },
      '"expiresAt" must be at most 31536000 s after "issuedAt"',
    ],
    ['a relative baseUrl', { ...EXAMPLE, baseUrl: '/api' }, '"baseUrl" must be an absolute URL'],
    [
      'a plain http baseUrl',
      { ...EXAMPLE, baseUrl: 'http://api.cw.crisisworks.com' },
      '"baseUrl" must use https (plain http only for loopback hosts), without user info',
    ],
    [
      'a baseUrl with user info',
      { ...EXAMPLE, baseUrl: 'https://u:p@api.cw.crisisworks.com' },
      '"baseUrl" must use https (plain http only for loopback hosts), without user info',
    ],
    ['headers as an array', { ...EXAMPLE, headers: [] }, '"headers" must be an object of strings'],
    [
      'a bad header name',
      { ...EXAMPLE, headers: { 'X Site': 'a' } },
      'header name "X Site" is not a valid token',
    ],
    [
      'a header value with LF',
      { ...EXAMPLE, headers: { 'X-Site': 'a\nb' } },
      'header "X-Site" must be a header-safe string',
    ],
  ];
  for (const [what, value, reason] of problems) {
    it(`gives the reason for ${what}`, () => {
      // Act & Assess
      assert.equal(reasonFor(value), reason);
    });
  }

  it('accepts a leap day, 1 to 3 fraction digits, loopback http and exactly 365 days', () => {
    // Act
    const results = [
      {
        ...EXAMPLE,
        issuedAt: '2028-02-29T09:00:00Z',
        refreshAt: '2028-02-29T09:40:00.5Z',
        expiresAt: '2028-02-29T23:59:59.999Z',
      },
      { ...EXAMPLE, issuedAt: '2026-11-22T09:00:00.12Z', baseUrl: 'http://127.0.0.1:8080' },
      {
        ...EXAMPLE,
        expiresAt: '2027-11-22T09:00:00.000Z',
        tokenType: "DPoP!#$%&'*+.^_`|~",
      },
    ].map(reasonFor);
    // Assess
    assert.deepEqual(results, [undefined, undefined, undefined]);
  });

  it('never puts the token in a reason', () => {
    // Prepare
    const token = 'secret-token-value\u0001';
    // Act
    const reason = reasonFor({ ...EXAMPLE, token });
    // Assess
    assert.ok(reason !== undefined && !reason.includes('secret-token-value'));
  });
});

describe('Function: parseEnvelopeJson', () => {
  it('gives a reason for text that is not JSON', () => {
    // Act & Assess
    assert.deepEqual(parseEnvelopeJson('{"version":'), {
      ok: false,
      reason: 'the value is not JSON',
    });
  });

  it('parses JSON text', () => {
    // Act & Assess
    assert.equal(parseEnvelopeJson(JSON.stringify(EXAMPLE)).ok, true);
  });
});
