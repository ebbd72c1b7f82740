import { z } from 'zod';
import { BASE32_SEED, MIN_SEED_LENGTH, normaliseTotpSeed } from '../totp/totpCode.ts';
import { type InstanceConfig, type ProviderType, ProviderTypes } from './brokerConfig.ts';
import { CredentialsFormatError, describeIssues } from './errors.ts';
import { requiredCredentialFields } from './requiredCredentialFields.ts';
import { MIN_RSA_BITS, signingKeyOf } from './signingKey.ts';

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

/** A PKCS#8 PEM private key that signs client assertions (RFC 7523); never quoted in a message. */
const privateKey = z
  .string()
  .max(16_384)
  .refine((pem) => signingKeyOf(pem) !== undefined, {
    error: `must be an unencrypted PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----"), RSA of at least ${MIN_RSA_BITS} bits or EC P-256`,
  });

const clientAssertionFields = {
  privateKey: privateKey.optional(),
  /** The `kid` of the client assertion's header. */
  keyId: z.string().min(1).max(256).optional(),
};

/** Credentials of an OAuth2 client: a secret, or a private key for `private_key_jwt`. */
export const oauth2ClientCredentialsSchema = z.strictObject({
  clientId: z.string().min(1).max(1024),
  clientSecret: z.string().min(1).max(4096).optional(),
  ...clientAssertionFields,
});

/** Credentials of an OAuth2 client holding a refresh token (RFC 6749 §6). */
export const refreshTokenCredentialsSchema = z.strictObject({
  ...oauth2ClientCredentialsSchema.shape,
  refreshToken: z.string().min(1).max(8192),
});

/** Credentials of an `http-json-login` instance: whichever its placeholders and Basic use. */
export const httpJsonLoginCredentialsSchema = z.strictObject({
  username: z.string().min(1).max(1024).optional(),
  password: z.string().min(1).max(4096).optional(),
  totpSecret: totpSecret.optional(),
  clientId: z.string().min(1).max(1024).optional(),
  clientSecret: z.string().min(1).max(4096).optional(),
});

/** Username, password and optional base32 TOTP seed. */
export type PasswordCredentials = z.output<typeof passwordCredentialsSchema>;
/** API client id and secret. */
export type ClientCredentials = z.output<typeof clientCredentialsSchema>;
/** OAuth2 client id with a secret or a private key. */
export type OAuth2ClientCredentials = z.output<typeof oauth2ClientCredentialsSchema>;
/** OAuth2 client credentials and a refresh token. */
export type RefreshTokenCredentials = z.output<typeof refreshTokenCredentialsSchema>;
/** The credentials an `http-json-login` instance fills its placeholders from. */
export type HttpJsonLoginCredentials = z.output<typeof httpJsonLoginCredentialsSchema>;
/** Credentials of any provider type. */
export type Credentials =
  | PasswordCredentials
  | ClientCredentials
  | OAuth2ClientCredentials
  | RefreshTokenCredentials
  | HttpJsonLoginCredentials;

/**
 * Whether a credentials field holds a secret (typed without echo, redacted from every message):
 * passwords, client secrets, TOTP seeds, refresh tokens and private keys.
 *
 * @example
 * isSecretCredentialField('refreshToken'); // => true
 * isSecretCredentialField('clientId'); // => false
 */
export function isSecretCredentialField(field: string): boolean {
  return /password|secret|token|privatekey/i.test(field);
}

/** The credentials schema of each provider type. */
export const credentialsSchemas = {
  [ProviderTypes.crisisworks]: passwordCredentialsSchema,
  [ProviderTypes.code42LocalAccount]: passwordCredentialsSchema,
  [ProviderTypes.code42ApiClient]: clientCredentialsSchema,
  [ProviderTypes.oauth2ClientCredentials]: oauth2ClientCredentialsSchema,
  [ProviderTypes.oauth2RefreshToken]: refreshTokenCredentialsSchema,
  [ProviderTypes.httpJsonLogin]: httpJsonLoginCredentialsSchema,
} as const satisfies Record<ProviderType, z.ZodType>;

/** The credentials type of a provider type. */
export type CredentialsOf<T extends ProviderType> = z.output<(typeof credentialsSchemas)[T]>;

/**
 * The credentials schema of one instance: its type's schema, plus the fields its configuration
 * needs (the client secret or private key its `clientAuth` uses, the fields an `http-json-login`
 * request's placeholders and Basic authentication take).
 *
 * @example
 * credentialsSchemaFor(instance).safeParse(value);
 */
export function credentialsSchemaFor<I extends InstanceConfig>(instance: I) {
  const required = requiredCredentialFields(instance);
  return (
    credentialsSchemas[instance.type] as unknown as z.ZodType<CredentialsOf<I['type']>>
  ).superRefine((value, context) => {
    const fields = value as Readonly<Record<string, unknown>>;
    for (const { field, why } of required) {
      if (fields[field] === undefined) {
        context.addIssue({ code: 'custom', path: [field], message: `is required ${why}` });
      }
    }
  });
}

/**
 * Validates an instance's credentials against its provider type's schema and what its
 * configuration needs ({@link credentialsSchemaFor}).
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
  const schema = credentialsSchemaFor(instance);
  const result = schema.safeParse(value);
  if (!result.success) {
    const detail = describeIssues(result.error.issues, { nameUnknownKeys: false, schema, value });
    throw new CredentialsFormatError(instance.name, detail);
  }
  return result.data;
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
