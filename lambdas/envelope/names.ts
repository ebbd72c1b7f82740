import { createHash } from 'node:crypto';

/** The SSM parameter holding an instance's token envelope. */
export function tokenParameterName(parameterPrefix: string, name: string): string {
  return `${parameterPrefix}/${name}`;
}

/** The default Secrets Manager secret holding an instance's credentials. */
export function defaultSecretName(parameterPrefix: string, name: string): string {
  return `${parameterPrefix}/${name}`;
}

/**
 * The default state table of a broker: the prefix's segments joined by "-", then "-state"
 * (`/token-broker/dev` → `token-broker-dev-state`). A prefix is at most 2,048 characters, a table
 * name 255, so a long prefix is cut and keeps uniqueness with a short digest of the whole prefix.
 */
export function defaultStateTableName(parameterPrefix: string): string {
  const slug = parameterPrefix.slice(1).replaceAll('/', '-');
  const name = `${slug}-state`;
  if (name.length <= 255) return name;
  return `${slug.slice(0, 232)}-${createHash('sha256').update(parameterPrefix).digest('hex').slice(0, 16)}-state`;
}
