import {
  fillPlaceholders,
  type InstanceConfigOf,
  isRecord,
  type PlaceholderName,
  ProviderTypes,
  parseJsonLeniently,
  requiredCredentialFields,
  resolveJsonPointer,
} from '../config/index.ts';
import type { HttpRequest } from '../http/index.ts';
import { basicAuthorization } from './encoding.ts';
import { ProviderRequestError } from './errors.ts';
import type { LoginContext, TokenProvider } from './TokenProvider.ts';

type Context = LoginContext<typeof ProviderTypes.httpJsonLogin>;
type Instance = InstanceConfigOf<typeof ProviderTypes.httpJsonLogin>;

/** Epoch values above this are milliseconds, below it seconds (1e11 s is the year 5138). */
const EPOCH_MS_THRESHOLD = 1e11;

/** A JSON template with every string value's placeholders filled in. */
function fillJson(
  value: unknown,
  values: Readonly<Partial<Record<PlaceholderName, string>>>,
): unknown {
  if (typeof value === 'string') return fillPlaceholders(value, values);
  if (Array.isArray(value)) return value.map((item) => fillJson(item, values));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fillJson(item, values)]),
    );
  }
  return value;
}

/** The values of the placeholders; `{{totp}}` only when the request uses it (a fresh code). */
async function placeholderValues(
  context: Context,
  usesTotp: boolean,
): Promise<Partial<Record<PlaceholderName, string>>> {
  const { username, password, clientId, clientSecret, totpSecret } = context.credentials;
  const given = Object.entries({ username, password, clientId, clientSecret }).filter(
    (entry): entry is [PlaceholderName, string] => entry[1] !== undefined,
  );
  return {
    ...Object.fromEntries(given),
    ...(usesTotp && totpSecret !== undefined ? { totp: await context.totpCode(totpSecret) } : {}),
  };
}

function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name.toLowerCase());
}

/** The login request of one attempt, every placeholder filled in. */
async function buildRequest(context: Context, usesTotp: boolean): Promise<HttpRequest> {
  const { instance, credentials } = context;
  const { request } = instance;
  const values = await placeholderValues(context, usesTotp);
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([name, value]) => [
      name,
      fillPlaceholders(value, values),
    ]),
  );
  const contentType =
    request.json !== undefined
      ? 'application/json'
      : request.form !== undefined
        ? 'application/x-www-form-urlencoded'
        : undefined;
  if (!hasHeader(headers, 'Accept')) headers.Accept = 'application/json';
  if (contentType !== undefined && !hasHeader(headers, 'Content-Type')) {
    headers['Content-Type'] = contentType;
  }
  if (request.basicAuth) {
    headers.Authorization = basicAuthorization(
      credentials.username ?? '',
      credentials.password ?? '',
    );
  }
  const body =
    request.json !== undefined
      ? JSON.stringify(fillJson(request.json, values))
      : request.form !== undefined
        ? new URLSearchParams(
            Object.entries(request.form).map(([name, value]): [string, string] => [
              name,
              fillPlaceholders(value, values),
            ]),
          ).toString()
        : undefined;
  return {
    url: `${instance.baseUrl}${request.path}`,
    method: request.method,
    headers,
    ...(body === undefined ? {} : { body }),
  };
}

/** Seconds from `sentAt` to an `expiresAt` value (epoch s or ms, or ISO 8601), or why not. */
function secondsUntil(value: unknown, sentAt: number): number | 'invalid' {
  const epoch = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  let ms: number;
  if (typeof epoch === 'number' && Number.isFinite(epoch) && epoch > 0) {
    ms = epoch > EPOCH_MS_THRESHOLD ? epoch : epoch * 1000;
  } else if (typeof epoch === 'string') {
    ms = Date.parse(epoch);
    if (Number.isNaN(ms)) return 'invalid';
  } else {
    return 'invalid';
  }
  return (ms - sentAt) / 1000;
}

/** What the server said in an error answer, at the configured pointer. */
function errorMessage(instance: Instance, body: string): string | undefined {
  const pointer = instance.response.errorMessage;
  if (pointer === undefined) return undefined;
  const message = resolveJsonPointer(parseJsonLeniently(body), pointer);
  return typeof message === 'string' ? message : undefined;
}

/**
 * A vendor described by configuration (README, "Adding a vendor with http-json-login"): one
 * request to `{baseUrl}{request.path}` with the configured headers and a JSON or form body, the
 * `{{username}}`, `{{password}}`, `{{totp}}`, `{{clientId}}` and `{{clientSecret}}` placeholders
 * filled in from the credentials (a fresh TOTP code for every attempt, never one sent before), and
 * optionally HTTP Basic. Any 2xx answer is read as JSON: the token, and its `expiresIn` or
 * `expiresAt`, at their RFC 6901 pointers. Without either (and no JWT `exp`), the token lives
 * `lifetimeSeconds`, by default 5 minutes. The envelope carries `apiHeaders`.
 */
export const httpJsonLoginProvider: TokenProvider<typeof ProviderTypes.httpJsonLogin> = {
  type: ProviderTypes.httpJsonLogin,
  documentedLifetimeSeconds: 300,
  async login(context) {
    const { instance, credentials } = context;
    const shape = instance.response;
    if (instance.request.basicAuth && (credentials.username ?? '').includes(':')) {
      throw context.error(ProviderRequestError, 'the username must not contain ":" (HTTP Basic)');
    }
    const usesTotp = requiredCredentialFields(instance).some(({ field }) => field === 'totpSecret');
    const response = await context.send(() => buildRequest(context, usesTotp));
    if (response.status < 200 || response.status > 299) {
      throw context.failure(response, errorMessage(instance, response.body));
    }
    const body = context.json(response);
    const token = resolveJsonPointer(body, shape.token);
    if (typeof token !== 'string') {
      throw context.malformed(`the response has no string token at "${shape.token}"`);
    }
    let expiresIn =
      shape.expiresIn === undefined ? undefined : resolveJsonPointer(body, shape.expiresIn);
    if (shape.expiresAt !== undefined) {
      const expiresAt = resolveJsonPointer(body, shape.expiresAt);
      const seconds =
        expiresAt === undefined || expiresAt === null
          ? undefined
          : secondsUntil(expiresAt, response.sentAt);
      if (seconds === 'invalid') {
        throw context.malformed(
          `the value at "${shape.expiresAt}" is not an epoch or ISO 8601 time`,
        );
      }
      if (seconds !== undefined && seconds <= 0) {
        throw context.malformed('the token is already expired when issued');
      }
      expiresIn = seconds;
    }
    return {
      token,
      tokenType: 'Bearer',
      expiresIn,
      sentAt: response.sentAt,
      baseUrl: instance.baseUrl,
      headers: instance.apiHeaders,
      ...(shape.lifetimeSeconds === undefined ? {} : { lifetimeSeconds: shape.lifetimeSeconds }),
    };
  },
};
