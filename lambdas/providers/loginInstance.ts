import {
  type Credentials,
  CredentialsFormatError,
  type InstanceConfig,
  type InstanceConfigOf,
  type ProviderType,
  parseCredentials,
} from '../config/index.ts';
import type { TokenEnvelope } from '../envelope/index.ts';
import { buildEnvelope } from './buildEnvelope.ts';
import { createLoginContext } from './createLoginContext.ts';
import { LoginAbortedError, ProviderError, ProviderRequestError } from './errors.ts';
import type { LoginOptions } from './LoginOptions.ts';
import { providers } from './registry.ts';
import { sanitiseDetail } from './sanitiseDetail.ts';
import { secretsOf } from './secretsOf.ts';
import type { TokenProvider } from './TokenProvider.ts';

async function loginWith<T extends ProviderType>(
  instance: InstanceConfigOf<T>,
  credentials: Credentials,
  options: LoginOptions,
): Promise<TokenEnvelope> {
  const provider = providers[instance.type as T] as TokenProvider<T>;
  const validated = parseCredentials(instance, credentials);
  const context = createLoginContext<T>(instance, validated, options);
  const login = await provider.login(context);
  return buildEnvelope(instance, login, provider.documentedLifetimeSeconds, options.onNotice);
}

/**
 * Logs in to one provider instance and returns its validated token envelope (README, "How it works"): the
 * provider of the instance's type sends the login, the shared code works out `issuedAt` (when the
 * request was sent), `expiresAt` (earliest of `expires_in` and JWT `exp`, else the documented
 * lifetime, capped at the instance's `maxLifetimeSeconds` with a notice to `options.onNotice`)
 * and `refreshAt` (55 to 75 % of the lifetime, fixed per login).
 *
 * @example
 * const guard = new TotpGuard(); // one per process
 * const envelope = await loginInstance(instance, credentials, { totpGuard: guard, signal });
 * @param instance - the instance's configuration (validated)
 * @param credentials - its credentials (validated again against the type's schema)
 * @param options - HTTP settings, clock, signal and TOTP guard; defaults in {@link LoginOptions}
 * @throws {CredentialsFormatError} when the credentials do not match the type's schema
 * @throws {ProviderError} (a subclass: {@link InvalidCredentialsError}, {@link MfaRequiredError},
 * {@link ProviderUnavailableError}, {@link MalformedResponseError}, {@link InsecureEndpointError},
 * {@link ProviderRequestError}, {@link LoginAbortedError}) naming the instance, never a secret
 */
export async function loginInstance(
  instance: InstanceConfig,
  credentials: Credentials,
  options: LoginOptions = {},
): Promise<TokenEnvelope> {
  try {
    return await loginWith(instance, credentials, options);
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    if (options.signal?.aborted) {
      // The cause is the caller's own reason, not what was thrown: that may be any error.
      throw new LoginAbortedError(instance.name, instance.type, abortedDetail(options.signal), {
        cause: options.signal.reason,
      });
    }
    if (error instanceof CredentialsFormatError) throw error;
    // No `cause`: an unknown error's message, stack or properties might hold a secret.
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new ProviderRequestError(
      instance.name,
      instance.type,
      `unexpected failure: ${sanitiseDetail(what, secretsOf(credentials))}`,
    );
  }
}

/**
 * Why a login was aborted, for its message: a timeout's own words (`TimeoutError`, such as the
 * refresher's "the login took longer than 800 ms (loginTimeoutMs)"), else only that it was. Any
 * other reason is the caller's and stays in `cause`.
 */
function abortedDetail(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name === 'TimeoutError'
    ? `the login was aborted: ${reason.message}`
    : 'the login was aborted';
}
