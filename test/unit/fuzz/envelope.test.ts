import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  parseEnvelope,
  parseEnvelopeJson,
  parseTokenParameterValue,
  TOKEN_LIFETIME,
} from '../../../lambdas/reader/contract/index.ts';
import { envelopeViolation, HTTP_TOKEN_CHARS, isRealInstant } from './envelopeOracle.ts';
import { FUZZ_PARAMETERS } from './fuzzRuns.ts';

const MAX_LIFETIME_MS = TOKEN_LIFETIME.maxSeconds * 1000;
const FIRST = Date.parse('2000-01-01T00:00:00Z');
const LAST = Date.parse('2100-01-01T00:00:00Z');

const httpToken = fc
  .array(fc.constantFrom(...HTTP_TOKEN_CHARS), { minLength: 1, maxLength: 20 })
  .map((chars) => chars.join(''));
const visibleAscii = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  minLength: 1,
});
const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});

/** Envelopes that are valid by construction. */
const validEnvelope = fc
  .record({
    name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/),
    provider: fc.constantFrom('crisisworks', 'code42-api-client', 'oauth2-client-credentials'),
    tokenType: httpToken,
    token: visibleAscii,
    issuedAt: fc.integer({ min: FIRST, max: LAST }),
    lifetime: fc.integer({ min: 1, max: MAX_LIFETIME_MS }),
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    baseUrl: fc.option(
      fc.constantFrom(
        'https://api.example.org',
        'https://a.b.example.com:8443/base/',
        'http://127.0.0.1:8080',
      ),
      { nil: undefined },
    ),
    headers: fc.dictionary(httpToken, headerValue, { maxKeys: 3 }),
  })
  .map(({ issuedAt, lifetime, fraction, baseUrl, ...rest }) => ({
    version: 1,
    ...rest,
    issuedAt: new Date(issuedAt).toISOString(),
    expiresAt: new Date(issuedAt + lifetime).toISOString(),
    refreshAt: new Date(issuedAt + Math.floor(lifetime * fraction)).toISOString(),
    ...(baseUrl === undefined ? {} : { baseUrl }),
  }));

/** Instants from any digits, real or not (2026-02-30, hour 24, month 13). */
const anyInstant = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.integer({ min: 0, max: 61 }),
    fc.constantFrom('', '.5', '.123', '.1234'),
  )
  .map(([y, mo, d, h, mi, s, fraction]) => {
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${fraction}Z`;
  });

/** A valid envelope with one of its fields (or an unknown one) replaced by something else. */
const mutatedEnvelope = fc
  .tuple(
    validEnvelope,
    fc.nat(),
    fc.oneof(
      fc.anything(),
      fc.string(),
      anyInstant,
      fc.webUrl(),
      fc.constantFrom('Bearer other', 'a b', 'a\tb', 'a\r\nb', '', 'ä', '2026-02-30T00:00:00Z'),
      fc.dictionary(fc.string(), fc.string()),
    ),
  )
  .map(([envelope, pick, value]) => {
    const fields = [...Object.keys(envelope), 'baseUrl', 'extra'];
    return { ...envelope, [fields[pick % fields.length] ?? 'extra']: value };
  });

function assertSound(value: unknown): void {
  const result = parseEnvelope(value);
  if (result.ok) {
    assert.equal(envelopeViolation(result.envelope, MAX_LIFETIME_MS), undefined);
  } else {
    assert.equal(typeof result.reason, 'string');
  }
}

describe('Function: parseEnvelope (property-based)', () => {
  it('accepts every valid envelope', () => {
    fc.assert(
      fc.property(validEnvelope, (envelope) => {
        assert.deepEqual(parseEnvelope(envelope), { ok: true, envelope });
      }),
      FUZZ_PARAMETERS,
    );
  });

  it('returns a verdict for any value, and accepts nothing invalid', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedEnvelope, fc.anything(), fc.jsonValue()), assertSound),
      FUZZ_PARAMETERS,
    );
  });

  it('accepts an instant exactly when its date and time are real', () => {
    fc.assert(
      fc.property(validEnvelope, anyInstant, (envelope, instant) => {
        // Prepare: the same instant for all three, so only its own validity decides
        const value = { ...envelope, issuedAt: instant, refreshAt: instant, expiresAt: instant };
        // Act
        const result = parseEnvelope(value);
        // Assess: equal instants are refused for the order, never for being accepted as dates
        assert.equal(result.ok, false);
        const reason = result.ok ? '' : result.reason;
        assert.equal(reason === '"expiresAt" must be after "issuedAt"', isRealInstant(instant));
      }),
      FUZZ_PARAMETERS,
    );
  });
});

describe('Function: parseTokenParameterValue (property-based)', () => {
  it('classifies any text without throwing, and a present envelope is valid and named', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
          mutatedEnvelope.map((value) => JSON.stringify(value)),
          validEnvelope.map((value) => JSON.stringify(value)),
        ),
        (text) => {
          const parsed = parseEnvelopeJson(text);
          const value = parseTokenParameterValue('cw', text);
          if (value.kind === 'present') {
            assert.equal(value.envelope.name, 'cw');
            assert.equal(envelopeViolation(value.envelope, MAX_LIFETIME_MS), undefined);
          }
          if (!parsed.ok) assert.notEqual(value.kind, 'present');
        },
      ),
      FUZZ_PARAMETERS,
    );
  });
});
