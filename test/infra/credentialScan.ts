import { credentialValues } from './fixtures.ts';
import { isSecretValue } from './pulumiMocks.ts';

/** Every credential string a test puts in, including a client id. */
export const sensitive = [...Object.values(credentialValues), 'key-123'];

/**
 * Paths of every plain (non-secret) string under `value` that carries a credential; values inside
 * a Pulumi secret are allowed.
 */
export function plainCredentialPaths(value: unknown, path = ''): string[] {
  if (isSecretValue(value)) return [];
  if (typeof value === 'string') {
    return sensitive.some((credential) => value.includes(credential)) ? [path] : [];
  }
  if (Array.isArray(value))
    return value.flatMap((item, index) => plainCredentialPaths(item, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) =>
      plainCredentialPaths(item, `${path}.${key}`),
    );
  }
  return [];
}
