import { z } from 'zod';

const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION_ARN = /^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/;
const OU_ARN =
  /^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/** A list of distinct values, at least one. */
function distinct<T extends z.ZodType<string>>(item: T) {
  return z
    .array(item)
    .min(1, { error: 'must list at least one, or be left out' })
    .refine((values) => new Set(values).size === values.length, {
      error: 'lists a value twice',
    });
}

/** Schema of `readerAccounts`: the 12-digit IDs of the AWS accounts that may read a token. */
export const readerAccountsSchema = distinct(
  z.string().regex(ACCOUNT_ID, { error: 'must be a 12-digit AWS account ID' }),
);

/**
 * Schema of `readerOrganizations`: AWS Organizations organization or organizational-unit ARNs
 * whose accounts may read a token.
 */
export const readerOrganizationsSchema = distinct(
  z.string().refine((value) => ORGANIZATION_ARN.test(value) || OU_ARN.test(value), {
    error:
      'must be an organization ARN (arn:aws:organizations::ACCOUNT:organization/o-ID) or an organizational unit ARN (arn:aws:organizations::ACCOUNT:ou/o-ID/ou-ID)',
  }),
);

/** Who may read an instance's token from other accounts. */
export interface InstanceReaders {
  /** 12-digit account IDs. */
  readonly accounts: readonly string[];
  /** Organization and organizational-unit ARNs. */
  readonly organizations: readonly string[];
}

/** The reader fields of an instance's configuration. */
export interface ReaderFields {
  readonly readerAccounts?: readonly string[] | undefined;
  readonly readerOrganizations?: readonly string[] | undefined;
}

/**
 * The accounts and organizations an instance's token is shared with (none: only its own account
 * reads it).
 *
 * @example
 * readersOf({ readerAccounts: ['111122223333'] }); // => { accounts: ['111122223333'], organizations: [] }
 */
export function readersOf(instance: ReaderFields): InstanceReaders {
  return {
    accounts: instance.readerAccounts ?? [],
    organizations: instance.readerOrganizations ?? [],
  };
}

/**
 * Whether an instance's token is shared with other accounts, so its parameter must be in the
 * Advanced tier (only advanced parameters can be shared) under a customer-managed key.
 *
 * @example
 * isSharedInstance({ readerAccounts: ['111122223333'] }); // => true
 */
export function isSharedInstance(instance: ReaderFields): boolean {
  const { accounts, organizations } = readersOf(instance);
  return accounts.length > 0 || organizations.length > 0;
}

/** The tiers a token parameter is written with. */
export const TokenParameterTiers = {
  /** Standard while the envelope fits 4 KB, advanced beyond: what an unshared token needs. */
  unshared: 'Intelligent-Tiering',
  /** Only advanced parameters can be shared, and one never goes back to standard. */
  shared: 'Advanced',
} as const;

/** A tier a token parameter is written with. */
export type TokenParameterTier = (typeof TokenParameterTiers)[keyof typeof TokenParameterTiers];

/**
 * The tier an instance's token parameter is created and published with.
 *
 * @example
 * tokenParameterTier({ readerAccounts: ['111122223333'] }); // => 'Advanced'
 */
export function tokenParameterTier(instance: ReaderFields): TokenParameterTier {
  return isSharedInstance(instance) ? TokenParameterTiers.shared : TokenParameterTiers.unshared;
}
