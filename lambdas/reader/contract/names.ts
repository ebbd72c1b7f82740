import { createHash } from 'node:crypto';

/** Instance names: a letter or digit, then up to 63 letters, digits, `_`, `.` or `-`. */
export const INSTANCE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Parameter prefixes: an SSM path of one or more `/segment`s, without a trailing slash. */
export const PARAMETER_PREFIX_PATTERN = /^(\/[A-Za-z0-9_.-]+)+$/;

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

/**
 * The KMS alias of the key a stack creates for its shared token parameters, when no
 * customer-managed key is configured: the refresher publishes a shared token under it. Alias
 * names allow letters, digits, `/`, `_` and `-`, so each `.` of the prefix becomes `_`
 * (`/token-broker/dev` → `alias/token-broker-shared/token-broker/dev`). A prefix is at most 2,048
 * characters, an alias 256, so a long prefix is cut and keeps uniqueness with a digest.
 */
export function sharedTokenKeyAlias(parameterPrefix: string): string {
  const alias = `alias/token-broker-shared${parameterPrefix.replaceAll('.', '_')}`;
  if (alias.length <= 256) return alias;
  return `${alias.slice(0, 239)}-${createHash('sha256').update(parameterPrefix).digest('hex').slice(0, 16)}`;
}
