import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CredentialsFormatError, parseCredentialsJson } from '../../../lambdas/config/index.ts';
import { code42ApiClientInstance, crisisworksInstance } from '../../fakes/index.ts';
import { FUZZ_PARAMETERS } from './fuzzRuns.ts';

const instances = [
  crisisworksInstance('https://api.cw.example.org', 'sandbox'),
  code42ApiClientInstance('https://console.example.org'),
];
const FIELDS = new Set(['username', 'password', 'totpSecret', 'clientId', 'clientSecret']);
/** A marker no message has by itself, so a value or key found in a message was copied there. */
const secretText = fc.string({ minLength: 1 }).map((text) => `§${text}§`);

const credentialsLike = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      username: fc.oneof(fc.string(), secretText),
      password: secretText,
      totpSecret: fc.oneof(secretText, fc.stringMatching(/^[A-Za-z2-7 =-]{0,40}$/)),
      clientId: fc.oneof(fc.string(), secretText),
      clientSecret: secretText,
    },
    { requiredKeys: [] },
  ),
  fc
    .tuple(
      fc.dictionary(secretText, fc.jsonValue(), { maxKeys: 3 }),
      fc.record({ username: fc.string(), password: secretText }),
    )
    .map(([extra, known]) => ({ ...known, ...extra })),
);

describe('Function: parseCredentialsJson (property-based)', () => {
  it('returns credentials or CredentialsFormatError, whose message holds no value and no unknown key', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...instances),
        fc.oneof(
          fc.string(),
          credentialsLike.map((value) => JSON.stringify(value) ?? ''),
        ),
        (instance, text) => {
          let credentials: object;
          try {
            credentials = parseCredentialsJson(instance, text);
          } catch (error) {
            assert.ok(error instanceof CredentialsFormatError, String(error));
            assert.equal(error.instance, instance.name);
            assert.ok(!error.message.includes('§'), error.message);
            return;
          }
          assert.ok(Object.keys(credentials).every((key) => FIELDS.has(key)));
          const { totpSecret } = credentials as { totpSecret?: string };
          if (totpSecret !== undefined) assert.match(totpSecret, /^[A-Z2-7]{16,}$/);
        },
      ),
      FUZZ_PARAMETERS,
    );
  });
});
