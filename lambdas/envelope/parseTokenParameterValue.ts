import { parseEnvelopeJson } from './parseEnvelope.ts';
import { PENDING_TOKEN_VALUE, type TokenEnvelope } from './TokenEnvelope.ts';

/** What the value of an instance's token parameter holds. */
export type TokenParameterValue =
  /** {@link PENDING_TOKEN_VALUE}: the parameter exists, but no token was published yet. */
  | { readonly kind: 'pending' }
  /** Not a valid envelope for the instance; `reason` never includes the value. */
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'present'; readonly envelope: TokenEnvelope };

/**
 * Classifies the decrypted value of an instance's token parameter, the one rule the refresher and
 * the readers share: the deployment's placeholder is pending, and only a valid envelope naming
 * `instance` is present (one for another instance is unreadable). Does not judge expiry.
 *
 * @param instance - the instance whose parameter holds `value`
 * @param value - the parameter's value
 *
 * @example
 * parseTokenParameterValue('cw', '{"pending":true}'); // => { kind: 'pending' }
 */
export function parseTokenParameterValue(instance: string, value: string): TokenParameterValue {
  if (value === PENDING_TOKEN_VALUE) return { kind: 'pending' };
  const parsed = parseEnvelopeJson(value);
  if (!parsed.ok) return { kind: 'unreadable', reason: parsed.reason };
  if (parsed.envelope.name !== instance) {
    return {
      kind: 'unreadable',
      reason: `it is the token of instance "${parsed.envelope.name}"`,
    };
  }
  return { kind: 'present', envelope: parsed.envelope };
}
