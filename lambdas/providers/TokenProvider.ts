import type { CredentialsOf, InstanceConfigOf, ProviderType } from '../config/index.ts';
import type { HttpRequest, HttpResponse } from '../http/index.ts';
import type { ProviderError } from './errors.ts';

/** A {@link ProviderError} subclass with the base constructor. */
export type ProviderErrorClass = new (
  instance: string,
  provider: string,
  detail: string,
  options?: ErrorOptions & { status?: number | undefined },
) => ProviderError;

/** What a provider learnt from a successful login; the shared code turns it into an envelope. */
export interface ProviderLogin {
  readonly token: string;
  /** The Authorization scheme as the server named it (any JSON value: validated and normalised by the shared code). Default `Bearer`. */
  readonly tokenType?: unknown;
  /** The server's `expires_in`, when it sent one (any JSON value: validated by the shared code). */
  readonly expiresIn?: unknown;
  /** When the request that got the token was sent (epoch ms): the token's `issuedAt`. */
  readonly sentAt: number;
  /** The API the token is for. */
  readonly baseUrl?: string;
  /** Extra headers every call to that API needs. */
  readonly headers?: Readonly<Record<string, string>>;
  /** This instance's lifetime when the server states none, in s. Default: the provider's documented one. */
  readonly lifetimeSeconds?: number;
}

/** The services a provider logs in with; the errors it throws come from here. */
export interface LoginContext<T extends ProviderType> {
  readonly instance: InstanceConfigOf<T>;
  /** Validated credentials of the instance's type. */
  readonly credentials: CredentialsOf<T>;
  /**
   * Sends a request with timeouts and retries; `prepare` runs before every attempt. Network
   * failures, insecure URLs and oversized bodies become provider errors here.
   */
  send(prepare: (attempt: number) => HttpRequest | Promise<HttpRequest>): Promise<HttpResponse>;
  /** The login's clock, epoch ms. */
  now(): number;
  /**
   * Reports credentials the server replaced (a rotated refresh token) at once, merged into the
   * current ones; later messages redact the new values too. Call it before anything else can
   * fail: the old values no longer work.
   */
  rotateCredentials(update: Partial<CredentialsOf<T>>): void;
  /** A TOTP code no request has carried yet (may wait for the next 30 s step). */
  totpCode(seed: string): Promise<string>;
  /** Parses a JSON body, or throws {@link MalformedResponseError}. */
  json(response: HttpResponse): unknown;
  /**
   * The error for a response that is not a success: 401/403 invalid credentials, 429/5xx
   * unavailable, other statuses a request error, with what the server said
   * ({@link LoginContext.serverSaid}), or instead `detail`: a field of the body the instance's
   * configuration names (`http-json-login`'s `response.errorMessage`), sanitised the same way.
   */
  failure(response: HttpResponse, detail?: string): Error;
  /**
   * What the server said in the known fields of its error body (`error`, `error_description`,
   * `message`, Code42's `primaryErrorKey`s or `description`s), each shortened and with every
   * form of every secret redacted; never the raw body, which may echo the request.
   */
  serverSaid(response: HttpResponse): string | undefined;
  /** A {@link MalformedResponseError} saying what is missing or wrong. */
  malformed(detail: string): Error;
  /** An error of a given class naming the instance, with `detail` sanitised. */
  error(type: ProviderErrorClass, detail: string, options?: ErrorOptions): Error;
}

/**
 * One provider type: logs in with validated credentials and returns the token and what is known of
 * its lifetime. Lifetimes, envelopes and errors' wording are the shared code's job.
 */
export interface TokenProvider<T extends ProviderType> {
  readonly type: T;
  /** The lifetime the vendor documents, used when neither `expires_in` nor a JWT `exp` is known, in s. */
  readonly documentedLifetimeSeconds: number;
  login(context: LoginContext<T>): Promise<ProviderLogin>;
}
