import { parseTokenParameterValue } from '../envelope/index.ts';
import type { StoredToken } from './StoredToken.ts';

/**
 * Classifies the decrypted value of an instance's token parameter.
 *
 * @param instance - the instance's name: an envelope for another instance is unreadable
 * @param value - the value, or undefined when the parameter does not exist
 */
export function interpretStoredValue(instance: string, value: string | undefined): StoredToken {
  if (value === undefined) return { kind: 'missing' };
  const stored = parseTokenParameterValue(instance, value);
  return stored.kind === 'pending' ? { kind: 'missing' } : stored;
}
