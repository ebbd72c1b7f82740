import { PENDING_TOKEN_VALUE, parseEnvelopeJson } from '../envelope/index.ts';
import type { StoredToken } from './StoredToken.ts';

/**
 * Classifies the decrypted value of an instance's token parameter.
 *
 * @param instance - the instance's name: an envelope for another instance is unreadable
 * @param value - the value, or undefined when the parameter does not exist
 */
export function interpretStoredValue(instance: string, value: string | undefined): StoredToken {
  if (value === undefined || value === PENDING_TOKEN_VALUE) return { kind: 'missing' };
  const parsed = parseEnvelopeJson(value);
  if (!parsed.ok) return { kind: 'unreadable', reason: parsed.reason };
  if (parsed.envelope.name !== instance) {
    return { kind: 'unreadable', reason: `the envelope is for "${parsed.envelope.name}"` };
  }
  return { kind: 'present', envelope: parsed.envelope };
}
