import {
  type CredentialsOf,
  type InstanceConfigOf,
  type ProviderType,
  parseJsonLeniently,
} from '../config/index.ts';
import {
  HTTP_DEFAULTS,
  HttpNetworkError,
  type HttpResponse,
  HttpTimeoutError,
  InsecureUrlError,
  ResponseTooLargeError,
  requestWithRetry,
} from '../http/index.ts';
import { vendorErrorDetail } from './errorBody.ts';
import {
  InsecureEndpointError,
  InvalidCredentialsError,
  MalformedResponseError,
  ProviderRequestError,
  ProviderUnavailableError,
} from './errors.ts';
import { type LoginOptions, processTotpGuard } from './LoginOptions.ts';
import { sanitiseDetail } from './sanitiseDetail.ts';
import { secretsOf } from './secretsOf.ts';
import type { LoginContext, ProviderErrorClass } from './TokenProvider.ts';

function withDetail(summary: string, detail: string | undefined): string {
  return detail === undefined || detail === '' ? summary : `${summary}: ${detail}`;
}

/** The error class and summary for a response that is not a success (see {@link LoginContext.failure}). */
function classifyFailure({ status, attempt }: HttpResponse): [ProviderErrorClass, string] {
  if (status === 401 || status === 403) {
    return [InvalidCredentialsError, `the credentials were refused (HTTP ${status})`];
  }
  if (status === 429 || status >= 500) {
    return [ProviderUnavailableError, `unavailable (HTTP ${status} after ${attempt} attempt(s))`];
  }
  if (status >= 300 && status < 400) {
    return [
      ProviderRequestError,
      `unexpected redirect (HTTP ${status}); redirects are not followed`,
    ];
  }
  return [ProviderRequestError, `the request was rejected (HTTP ${status})`];
}

/**
 * Builds the {@link LoginContext} a provider logs in with: HTTP with the caller's options, TOTP
 * codes from the guard, and errors that name the instance and carry sanitised details only.
 */
export function createLoginContext<T extends ProviderType>(
  instance: InstanceConfigOf<T>,
  credentials: CredentialsOf<T>,
  options: LoginOptions,
): LoginContext<T> {
  const secrets = secretsOf(credentials);
  let current = credentials;
  const guard = options.totpGuard ?? processTotpGuard;
  const error = (type: ProviderErrorClass, detail: string, errorOptions?: ErrorOptions) =>
    new type(instance.name, instance.type, sanitiseDetail(detail, secrets), errorOptions);

  return {
    instance,
    credentials,
    error,
    async send(prepare) {
      try {
        return await requestWithRetry(prepare, options);
      } catch (cause) {
        if (cause instanceof InsecureUrlError)
          throw error(InsecureEndpointError, cause.message, { cause });
        if (cause instanceof ResponseTooLargeError)
          throw error(MalformedResponseError, cause.message, { cause });
        if (cause instanceof HttpNetworkError || cause instanceof HttpTimeoutError) {
          const attempts = options.maxAttempts ?? HTTP_DEFAULTS.maxAttempts;
          throw error(ProviderUnavailableError, `${cause.message} (${attempts} attempt(s))`, {
            cause,
          });
        }
        throw cause;
      }
    },
    now: options.now ?? Date.now,
    rotateCredentials(update) {
      current = { ...current, ...update };
      secrets.push(...secretsOf(current));
      options.onCredentialsRotated?.(current);
    },
    async totpCode(seed) {
      const { code } = await guard.nextCode(seed, options.signal);
      // A vendor may echo the code it was sent: redact it like the other secrets.
      secrets.push(code);
      return code;
    },
    json(response: HttpResponse) {
      // Not JSON gives `undefined`, no syntax error: its message would quote the body (a token).
      const value = parseJsonLeniently(response.body);
      if (value !== undefined) return value;
      const type = response.headers.get('content-type') ?? 'no content type';
      throw error(MalformedResponseError, `the response is not JSON (${type})`);
    },
    failure(response, detail) {
      const { status } = response;
      const [type, summary] = classifyFailure(response);
      const said =
        detail === undefined
          ? vendorErrorDetail(response.body, secrets)
          : sanitiseDetail(detail, secrets);
      return new type(instance.name, instance.type, withDetail(summary, said), { status });
    },
    serverSaid(response) {
      return vendorErrorDetail(response.body, secrets);
    },
    malformed(detail) {
      return error(MalformedResponseError, detail);
    },
  };
}
