import { z } from 'zod';
import { BASE32_SEED, MIN_SEED_LENGTH, normaliseTotpSeed } from '../totp/parseTotpSeed.ts';
import type { InstanceConfig } from './brokerConfig.ts';
import { CredentialsFormatError, describeIssues } from './errors.ts';
import { type ProviderType, ProviderTypes } from './providerTypes.ts';

/**
 * A base32 TOTP seed as shown by the vendor ("Get code for manual entry"), normalised and checked
 * as {@link parseTotpSeed} does, with messages that name no value.
 */
const totpSecret = z
  .string()
  .transform(normaliseTotpSeed)
  .pipe(
    z
      .string()
      .regex(BASE32_SEED, { error: 'must be base32 (letters A-Z and digits 2-7)' })
      .min(MIN_SEED_LENGTH, {
        error: `must be at least ${MIN_SEED_LENGTH} base32 characters (80 bits)`,
      }),
  );

/** Credentials of a username and password account, with an optional TOTP seed. */
export const passwordCredentialsSchema = z.strictObject({
  username: z.string().min(1).max(1024),
  password: z.string().min(1).max(4096),
  totpSecret: totpSecret.optional(),
});

/** Credentials of an API client (OAuth2 client credentials). */
export const clientCredentialsSchema = z.strictObject({
  clientId: z.string().min(1).max(1024),
  clientSecret: z.string().min(1).max(4096),
});

/** Username, password and optional base32 TOTP seed. */
export type PasswordCredentials = z.output<typeof passwordCredentialsSchema>;
/** API client id and secret. */
export type ClientCredentials = z.output<typeof clientCredentialsSchema>;
/** Credentials of any provider type. */
export type Credentials = PasswordCredentials | ClientCredentials;

/** The credentials schema of each provider type. */
export const credentialsSchemas = {
  [ProviderTypes.crisisworks]: passwordCredentialsSchema,
  [ProviderTypes.code42LocalAccount]: passwordCredentialsSchema,
  [ProviderTypes.code42ApiClient]: clientCredentialsSchema,
  [ProviderTypes.oauth2ClientCredentials]: clientCredentialsSchema,
} as const satisfies Record<ProviderType, z.ZodType>;

/** The credentials type of a provider type. */
export type CredentialsOf<T extends ProviderType> = z.output<(typeof credentialsSchemas)[T]>;

/**
 * Validates an instance's credentials against its provider type's schema.
 *
 * @param instance - the instance the credentials belong to
 * @param value - the parsed JSON value of the instance's secret
 * @throws {CredentialsFormatError} naming the instance and the bad fields, never a value (and
 *   never an unknown key: it may be a secret pasted as one)
 */
export function parseCredentials<I extends InstanceConfig>(
  instance: I,
  value: unknown,
): CredentialsOf<I['type']> {
  const schema = credentialsSchemas[instance.type];
  const result = schema.safeParse(value);
  if (!result.success) {
    const detail = describeIssues(result.error.issues, { nameUnknownKeys: false, schema, value });
    throw new CredentialsFormatError(instance.name, detail);
  }
  return result.data as CredentialsOf<I['type']>;
}

/**
 * Parses the JSON text of an instance's secret and validates it.
 *
 * @throws {CredentialsFormatError} when the text is not JSON or does not match the schema
 */
export function parseCredentialsJson<I extends InstanceConfig>(
  instance: I,
  text: string,
): CredentialsOf<I['type']> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CredentialsFormatError(instance.name, 'the secret is not valid JSON');
  }
  return parseCredentials(instance, value);
}
