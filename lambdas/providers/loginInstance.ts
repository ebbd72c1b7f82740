import {
  type Credentials,
  CredentialsFormatError,
  describeThrown,
  type InstanceConfig,
  type InstanceConfigOf,
  type ProviderType,
  parseCredentials,
} from '../config/index.ts';
import type { TokenEnvelope } from '../reader/contract/index.ts';
import type { GuardedCode } from '../totp/index.ts';
import { buildEnvelope } from './buildEnvelope.ts';
import { code42ApiClientProvider } from './code42ApiClientProvider.ts';
import { code42LocalAccountProvider } from './code42LocalAccountProvider.ts';
import { createLoginContext } from './createLoginContext.ts';
import { crisisworksProvider } from './crisisworksProvider.ts';
import {
  InvalidCredentialsError,
  LoginAbortedError,
  MfaRequiredError,
  ProviderError,
  ProviderRequestError,
  ReauthorizationRequiredError,
} from './errors.ts';
import { httpJsonLoginProvider } from './httpJsonLoginProvider.ts';
import { type LoginOptions, processTotpGuard } from './LoginOptions.ts';
import { oauth2ClientCredentialsProvider } from './oauth2ClientCredentialsProvider.ts';
import { oauth2RefreshTokenProvider } from './oauth2RefreshTokenProvider.ts';
import { sanitiseDetail } from './sanitiseDetail.ts';
import { secretsOf } from './secretsOf.ts';
import type { TokenProvider } from './TokenProvider.ts';

/** The provider of each type: adding a provider type adds one file and one line here. */
export const providers: { readonly [T in ProviderType]: TokenProvider<T> } = {
  [crisisworksProvider.type]: crisisworksProvider,
  [code42ApiClientProvider.type]: code42ApiClientProvider,
  [code42LocalAccountProvider.type]: code42LocalAccountProvider,
  [oauth2ClientCredentialsProvider.type]: oauth2ClientCredentialsProvider,
  [oauth2RefreshTokenProvider.type]: oauth2RefreshTokenProvider,
  [httpJsonLoginProvider.type]: httpJsonLoginProvider,
};

async function loginWith<T extends ProviderType>(
  instance: InstanceConfigOf<T>,
  credentials: Credentials,
  options: LoginOptions,
): Promise<TokenEnvelope> {
  const provider = providers[instance.type as T] as TokenProvider<T>;
  const validated = parseCredentials(instance, credentials);
  const used: GuardedCode[] = [];
  const guard = options.totpGuard ?? processTotpGuard;
  const totpGuard = {
    nextCode: async (seed: string, signal?: AbortSignal) => {
      const code = await guard.nextCode(seed, signal);
      used.push(code);
      return code;
    },
  };
  const once = async () => {
    const context = createLoginContext<T>(instance, validated, { ...options, totpGuard });
    const login = await provider.login(context);
    return buildEnvelope(instance, login, provider.documentedLifetimeSeconds, options.onNotice);
  };
  try {
    return await once();
  } catch (error) {
    const refused = used.at(-1);
    if (!isCodeRefusal(error) || !followsRecordedUse(refused)) throw error;
    // Refused within the step after another recorded use of the seed: most likely a replay (the
    // vendor took the code for one it had seen), not bad credentials. Once more, next step's code.
    const about = `instance "${instance.name}" (${instance.type})`;
    options.onNotice?.(
      `${about}: the TOTP code of step ${refused.step} was refused within a step of another use of this seed (step ${refused.previousStep}), a likely replay; retrying once with the next step's code`,
    );
    try {
      return await once();
    } catch (second) {
      if (!isCodeRefusal(second)) throw second;
      throw new InvalidCredentialsError(
        instance.name,
        instance.type,
        `the credentials were refused in two TOTP steps in a row (the first refusal, within a step of another use of the seed, looked like a replay): check the password and the TOTP seed`,
        { status: second.status, cause: second },
      );
    }
  }
}

/** A vendor's refusal of the credentials or the code (401/403, MFA required), not a fault. */
function isCodeRefusal(error: unknown): error is InvalidCredentialsError | MfaRequiredError {
  return (
    (error instanceof InvalidCredentialsError || error instanceof MfaRequiredError) &&
    !(error instanceof ReauthorizationRequiredError)
  );
}

/** Whether a code's step came at most one step after another recorded use of its seed. */
function followsRecordedUse(
  code: GuardedCode | undefined,
): code is GuardedCode & { readonly previousStep: number } {
  return code?.previousStep !== undefined && code.step - code.previousStep <= 1;
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
    throw new ProviderRequestError(
      instance.name,
      instance.type,
      `unexpected failure: ${sanitiseDetail(describeThrown(error), secretsOf(credentials))}`,
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
