import { z } from 'zod';
import { TOKEN_LIFETIME } from '../reader/contract/envelope.ts';
import {
  defaultStateTableName,
  INSTANCE_NAME_PATTERN,
  PARAMETER_PREFIX_PATTERN,
} from '../reader/contract/names.ts';
import { isHeaderSafe, isHttpToken } from '../reader/contract/wireSafety.ts';
import { isJsonPointer, isRecord } from './json.ts';
import { isPlaceholderName, PLACEHOLDER_FIELDS, placeholdersIn } from './placeholders.ts';
import { readerAccountsSchema, readerOrganizationsSchema } from './readers.ts';
import { endpointProblem } from './urls.ts';

/** The provider types token-broker can log in to. */
export const ProviderTypes = {
  crisisworks: 'crisisworks',
  code42ApiClient: 'code42-api-client',
  code42LocalAccount: 'code42-local-account',
  oauth2ClientCredentials: 'oauth2-client-credentials',
  oauth2RefreshToken: 'oauth2-refresh-token',
  httpJsonLogin: 'http-json-login',
} as const;

/** One of {@link ProviderTypes}. */
export type ProviderType = (typeof ProviderTypes)[keyof typeof ProviderTypes];

/**
 * An endpoint (`baseUrl`, `tokenUrl`): see {@link endpointProblem}. A trailing slash is dropped,
 * since paths are appended to it.
 */
const endpoint = z
  .string()
  .superRefine((value, context) => {
    const problem = endpointProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  })
  .transform((value) => value.replace(/\/+$/, ''));

/** A Secrets Manager secret name: 1-512 characters of letters, digits and `/_+=.@-`. */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** A complete secret ARN: partition, region, account, name and the 6-character suffix AWS adds. */
const SECRET_ARN =
  /^arn:aws(-[a-z]+)*:secretsmanager:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}-[A-Za-z0-9]{6}$/;

const LIFETIME_BOUNDS = `must be a whole number of seconds from ${TOKEN_LIFETIME.minSeconds} to ${TOKEN_LIFETIME.maxSeconds}`;
/** A whole number from `min` to `max`. */
const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be from ${min} to ${max}` })
    .max(max, { error: `must be from ${min} to ${max}` });

/** An instance name: used in the parameter and secret names, so a safe path segment. */
const instanceName = z.string().regex(INSTANCE_NAME_PATTERN, {
  error: 'must be 1-64 characters of letters, digits, "_", "." or "-", starting alphanumeric',
});

const common = {
  name: instanceName,
  /**
   * An existing Secrets Manager secret to read credentials from: its name or full ARN. Wildcards
   * and partial ARNs are refused, since the refresher's IAM grant is built from this value.
   */
  secretId: z
    .string()
    .refine((value) => SECRET_NAME.test(value) || SECRET_ARN.test(value), {
      error:
        'must be a Secrets Manager secret name (1-512 letters, digits and "/_+=.@-") or a full secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX)',
    })
    .optional(),
  /**
   * The longest lifetime a token of this instance is given, whatever the server says: a vendor
   * that states years (or milliseconds for seconds) cannot keep a token from being replaced.
   * Default {@link TOKEN_LIFETIME.defaultMaxSeconds} (24 h).
   */
  maxLifetimeSeconds: z
    .number({ error: LIFETIME_BOUNDS })
    .refine(
      (value) =>
        Number.isInteger(value) &&
        value >= TOKEN_LIFETIME.minSeconds &&
        value <= TOKEN_LIFETIME.maxSeconds,
      { error: LIFETIME_BOUNDS },
    )
    .optional(),
  /** Other AWS accounts that may read the token: its parameter is then shared with them. */
  readerAccounts: readerAccountsSchema.optional(),
  /** Organizations or organizational units whose accounts may read the token. */
  readerOrganizations: readerOrganizationsSchema.optional(),
};

const crisisworksInstance = z.strictObject({
  ...common,
  type: z.literal(ProviderTypes.crisisworks),
  baseUrl: endpoint,
  site: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, { error: 'must be a Crisisworks site code' }),
  client: z.strictObject({
    uuid: z.string().min(1).max(512),
    platform: z.string().min(1).max(128),
    name: z.string().min(1).max(256),
    version: z.string().min(1).max(64),
  }),
});

const code42ApiClientInstance = z.strictObject({
  ...common,
  type: z.literal(ProviderTypes.code42ApiClient),
  baseUrl: endpoint,
});

const code42LocalAccountInstance = z.strictObject({
  ...common,
  type: z.literal(ProviderTypes.code42LocalAccount),
  baseUrl: endpoint,
});

const oauth2ClientCredentialsInstance = z.strictObject({
  ...common,
  type: z.literal(ProviderTypes.oauth2ClientCredentials),
  tokenUrl: endpoint,
  /** The API the token is for: readers resolve relative URLs against it. */
  baseUrl: endpoint.optional(),
  scope: z.string().min(1).max(1024).optional(),
  audience: z.string().min(1).max(1024).optional(),
  clientAuth: z.enum(['basic', 'post', 'private_key_jwt']).default('basic'),
});

const oauth2RefreshTokenInstance = z.strictObject({
  ...common,
  type: z.literal(ProviderTypes.oauth2RefreshToken),
  tokenUrl: endpoint,
  /** The authorization endpoint `token-broker authorize` sends the operator to. */
  authorizeUrl: endpoint.optional(),
  /** A fixed loopback port for `authorize`'s redirect, for servers that register one. Default: random. */
  redirectPort: wholeNumber(1024, 65535).optional(),
  baseUrl: endpoint.optional(),
  scope: z.string().min(1).max(1024).optional(),
  clientAuth: z.enum(['basic', 'post', 'none', 'private_key_jwt']).default('basic'),
});

const KNOWN_PLACEHOLDERS = Object.keys(PLACEHOLDER_FIELDS)
  .map((name) => `{{${name}}}`)
  .join(', ');

/** Adds an issue at `path` for every unknown placeholder in `text`. */
function checkPlaceholders(text: string, context: z.RefinementCtx, path: PropertyKey[] = []): void {
  for (const name of placeholdersIn(text)) {
    if (!isPlaceholderName(name)) {
      context.addIssue({
        code: 'custom',
        path,
        message: `unknown placeholder {{${name}}}: the placeholders are ${KNOWN_PLACEHOLDERS}`,
      });
    }
  }
}

function hasNoPlaceholder(text: string): boolean {
  return !text.includes('{{');
}

const NO_PLACEHOLDER = {
  error: 'placeholders are allowed only in the request body and in request header values',
};

const headerName = z.string().refine(isHttpToken, { error: 'must be an HTTP header name' });
const headerValue = z
  .string()
  .max(4096)
  .refine(isHeaderSafe, { error: 'must be visible ASCII (no line breaks or controls)' });
const templatedText = z
  .string()
  .max(4096)
  .superRefine((text, context) => checkPlaceholders(text, context));

/** A JSON body template: any JSON, placeholders only in string values (never in member names). */
const jsonTemplate = z.json().superRefine((value, context) => {
  const walk = (node: unknown, path: PropertyKey[]): void => {
    if (typeof node === 'string') {
      checkPlaceholders(node, context, path);
    } else if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, [...path, index]);
    } else if (isRecord(node)) {
      for (const [key, item] of Object.entries(node)) {
        if (!hasNoPlaceholder(key)) {
          context.addIssue({ code: 'custom', path: [...path, key], message: NO_PLACEHOLDER.error });
        }
        walk(item, [...path, key]);
      }
    }
  };
  walk(value, []);
});

const jsonPointer = z
  .string()
  .max(1024)
  .refine(isJsonPointer, { error: 'must be an RFC 6901 JSON Pointer such as "/data/token"' });

const httpJsonLoginInstance = z.strictObject({
  ...common,
  type: z.literal(ProviderTypes.httpJsonLogin),
  baseUrl: endpoint,
  request: z
    .strictObject({
      method: z.enum(['POST', 'GET']).default('POST'),
      /** Appended to `baseUrl`; may carry a query string, never a placeholder. */
      path: z
        .string()
        .max(2048)
        .regex(/^\/[\x21-\x7e]*$/, {
          error: 'must start with "/" and hold visible ASCII only (percent-encode the rest)',
        })
        .refine(hasNoPlaceholder, NO_PLACEHOLDER),
      headers: z.record(headerName, headerValue.pipe(templatedText)).optional(),
      json: jsonTemplate.optional(),
      form: z
        .record(z.string().min(1).refine(hasNoPlaceholder, NO_PLACEHOLDER), templatedText)
        .optional(),
      /** Send `username:password` as HTTP Basic. */
      basicAuth: z.boolean().default(false),
    })
    .superRefine((request, context) => {
      if (request.json !== undefined && request.form !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['form'],
          message: 'give "json" or "form", not both',
        });
      }
      if (request.method === 'GET' && (request.json !== undefined || request.form !== undefined)) {
        context.addIssue({
          code: 'custom',
          path: ['method'],
          message: 'a GET request has no body',
        });
      }
    }),
  response: z
    .strictObject({
      /** Where the token is in the JSON answer. */
      token: jsonPointer,
      /** Seconds the token lives. */
      expiresIn: jsonPointer.optional(),
      /** When the token expires: epoch seconds or milliseconds, or an ISO 8601 time. */
      expiresAt: jsonPointer.optional(),
      /** The lifetime when the answer says none and the token is no JWT with `exp`, in s. Default 300. */
      lifetimeSeconds: wholeNumber(30, 2_592_000).optional(),
      /** Where an error answer's message is, to quote it (sanitised) in the failure. */
      errorMessage: jsonPointer.optional(),
    })
    .refine((response) => response.expiresIn === undefined || response.expiresAt === undefined, {
      error: 'give "expiresIn" or "expiresAt", not both',
      path: ['expiresAt'],
    }),
  /** Extra headers every call to the API needs; published in the envelope, so never a placeholder. */
  apiHeaders: z
    .record(headerName, headerValue.refine(hasNoPlaceholder, NO_PLACEHOLDER))
    .default({}),
});

/** Schema of one provider instance in the broker configuration. */
export const instanceConfigSchema = z.discriminatedUnion('type', [
  crisisworksInstance,
  code42ApiClientInstance,
  code42LocalAccountInstance,
  oauth2ClientCredentialsInstance,
  oauth2RefreshTokenInstance,
  httpJsonLoginInstance,
]);

/** Schema of the broker's whole non-secret configuration document (README, "Configuration"). */
export const brokerConfigSchema = z
  .strictObject({
    parameterPrefix: z.string().regex(PARAMETER_PREFIX_PATTERN, {
      error: 'must be an SSM path such as "/token-broker/dev" (no trailing slash)',
    }),
    /**
     * The DynamoDB table holding each instance's login lease and refresh record. Default:
     * derived from the prefix (`/token-broker/dev` → `token-broker-dev-state`).
     */
    stateTable: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,255}$/, {
        error: 'must be a DynamoDB table name: 3-255 letters, digits, "_", "." or "-"',
      })
      .optional(),
    /**
     * The account's Parameter Store throughput setting, which sets how fast the refresher calls
     * SSM (`pacingLimitsFor`): `standard` (the default; about 3 PutParameter/s and 40 reads/s per
     * account and region) or `higher` (the paid setting; about 10 PutParameter/s and 3,000 reads/s).
     */
    ssmThroughput: z.enum(['standard', 'higher']).default('standard'),
    instances: z.array(instanceConfigSchema).min(1, { error: 'must list at least one instance' }),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.instances.forEach((instance, index) => {
      if (seen.has(instance.name)) {
        context.addIssue({
          code: 'custom',
          path: ['instances', index, 'name'],
          message: `duplicate instance name "${instance.name}"`,
        });
      }
      seen.add(instance.name);
    });
  })
  .transform(({ stateTable, ...config }) => ({
    ...config,
    stateTable: stateTable ?? defaultStateTableName(config.parameterPrefix),
  }));

/** One configured provider instance. */
export type InstanceConfig = z.output<typeof instanceConfigSchema>;
/** The broker's non-secret configuration document, as validated. */
export type BrokerConfig = z.output<typeof brokerConfigSchema>;
/** The configuration document as written by a person, before defaults are applied. */
export type BrokerConfigInput = z.input<typeof brokerConfigSchema>;
/** The configuration of one instance of a given provider type. */
export type InstanceConfigOf<T extends InstanceConfig['type']> = Extract<
  InstanceConfig,
  { type: T }
>;
