import { CachedToken } from './CachedToken.ts';
import type { TokenEnvelope } from './contract/envelope.ts';
import { INSTANCE_NAME_PATTERN, tokenParameterName } from './contract/names.ts';
import { TokenExpiredError, TokenNotPublishedError } from './errors.ts';
import { RefresherInvoker } from './RefresherInvoker.ts';
import { readTokenParameter } from './readTokenParameter.ts';
import { resolveTokenUrl } from './resolveTokenUrl.ts';
import {
  checkSeconds,
  type GetTokenOptions,
  type ResolvedTokenReaderOptions,
  resolveTokenReaderOptions,
  type TokenReaderOptions,
} from './TokenReaderOptions.ts';

/**
 * Reads the tokens the broker publishes, with an in-memory cache per instance. Create one per
 * Lambda (module scope, so the cache outlives an invocation), or use the functions `getToken`,
 * `authorizationHeaders` and `fetchWithToken`, which share a default reader configured from the
 * environment.
 *
 * A token is cached until `expiresAt` minus the minimum validity; concurrent misses for one
 * instance share one SSM call; an expired token is never returned. A reader in another account
 * than the broker's gives `parameterArnPrefix` and reads each token by its full ARN.
 *
 * @example
 * ```ts
 * import { SSMClient } from '@aws-sdk/client-ssm';
 * import { TokenReader } from '@token-broker/reader';
 *
 * const reader = new TokenReader({ parameterPrefix: '/token-broker/prod', ssmClient: new SSMClient({}) });
 * const response = await reader.fetchWithToken('cw-sandbox', '/api/json/item/id/1');
 * ```
 */
export class TokenReader {
  readonly #options: ResolvedTokenReaderOptions;
  readonly #cache = new Map<string, CachedToken>();
  readonly #reading = new Map<string, Promise<CachedToken>>();
  readonly #renewing = new Map<string, Promise<TokenEnvelope>>();
  readonly #refresher: RefresherInvoker | undefined;

  /**
   * @param options - see {@link TokenReaderOptions}; each default comes from the environment
   * @throws {ReaderConfigurationError} when no parameter prefix is configured or a value is bad
   */
  public constructor(options: TokenReaderOptions = {}) {
    this.#options = resolveTokenReaderOptions(options);
    const { refresherFunctionName, refreshCooldownSeconds, lambdaClient } = this.#options;
    this.#refresher =
      refresherFunctionName === undefined
        ? undefined
        : new RefresherInvoker(refresherFunctionName, refreshCooldownSeconds, lambdaClient);
  }

  /**
   * The instance's token envelope, from the cache while it is valid for the minimum validity,
   * else from SSM.
   *
   * @example
   * ```ts
   * const { tokenType, token, headers } = await reader.getToken('cw-sandbox');
   * ```
   * @param name - the provider instance, such as `cw-sandbox`
   * @param options - `forceFetch` (default false), `minValiditySeconds` (default the reader's, 60)
   * @throws {TokenNotFoundError} when the parameter does not exist ({@link TokenNotPublishedError}
   *   when it holds no token yet)
   * @throws {TokenExpiredError} when the stored token is valid for less than the minimum validity
   * @throws {MalformedTokenError} when the stored value is not an envelope for `name`
   * @throws {GetTokenError} when SSM fails
   */
  public async getToken(name: string, options?: GetTokenOptions): Promise<TokenEnvelope> {
    const minValiditySeconds =
      options?.minValiditySeconds === undefined
        ? this.#options.minValiditySeconds
        : checkSeconds('minValiditySeconds', options.minValiditySeconds);
    const forceFetch = options?.forceFetch === true;
    if (!forceFetch) {
      const cached = this.#cache.get(name);
      if (cached !== undefined && !cached.isExpired(minValiditySeconds)) return cached.envelope;
    }
    const fresh = await this.#read(name, forceFetch);
    if (fresh.isExpired(minValiditySeconds)) {
      throw new TokenExpiredError(
        name,
        this.#parameterName(name),
        fresh.envelope.expiresAt,
        minValiditySeconds,
      );
    }
    return fresh.envelope;
  }

  /**
   * The headers a call to the instance's API needs: `Authorization: {tokenType} {token}` and the
   * envelope's extra headers (such as `X-Site`).
   *
   * @example
   * ```ts
   * const headers = await reader.authorizationHeaders('cw-sandbox');
   * ```
   * @throws the errors of {@link TokenReader.getToken}
   */
  public async authorizationHeaders(name: string): Promise<Record<string, string>> {
    return buildAuthorizationHeaders(await this.getToken(name));
  }

  /**
   * `fetch` with the instance's token. A relative `url` is resolved against the envelope's
   * `baseUrl`; an absolute one must share its origin (without a `baseUrl`: be on
   * `allowedOrigins`, when given). Only https is used, plain http only for loopback hosts. The
   * token's headers replace any of the same name in `init.headers`. Redirects are never followed:
   * a 3xx response is returned as it is (`redirect: 'error'` makes it throw instead), so neither
   * the token nor the instance's headers reach another host.
   *
   * On a 401, it drops the cached token, asks the refresher to log in again (when a refresher
   * function is configured; one invoke at a time per instance, at most one per cooldown), reads
   * the token again and retries once; the second response is returned whatever its status.
   * Concurrent 401s for one instance share one refresh and one SSM read. A
   * request whose body is a stream is not retried. When the stored token has expired or was never
   * published, it asks the refresher the same way before giving up.
   *
   * @example
   * ```ts
   * const response = await reader.fetchWithToken('cw-sandbox', '/api/json/item/id/1', {
   *   headers: { Accept: 'application/json' },
   * });
   * ```
   * @throws the errors of {@link TokenReader.getToken}, {@link TokenRefreshError} when the
   *   refresher fails, {@link TokenDestinationError} (a `TypeError`) when the URL cannot be
   *   resolved or the token may not go there
   */
  public async fetchWithToken(
    name: string,
    url: string | URL,
    init: RequestInit = {},
  ): Promise<Response> {
    const envelope = await this.#tokenForRequest(name);
    const response = await this.#send(envelope, url, init);
    if (response.status !== 401 || init.body instanceof ReadableStream) return response;
    await response.body?.cancel();
    return this.#send(await this.#renew(name, envelope.token), url, init);
  }

  /**
   * Forgets cached tokens: one instance's, or all of them.
   *
   * @example
   * ```ts
   * reader.clearCache('cw-sandbox'); // the next getToken reads SSM
   * ```
   * @param name - the instance to forget (default: all)
   */
  public clearCache(name?: string): void {
    if (name === undefined) this.#cache.clear();
    else this.#cache.delete(name);
  }

  async #tokenForRequest(name: string): Promise<TokenEnvelope> {
    try {
      return await this.getToken(name);
    } catch (error) {
      const behind = error instanceof TokenExpiredError || error instanceof TokenNotPublishedError;
      if (!behind || this.#refresher === undefined) throw error;
      return this.#renew(name);
    }
  }

  /**
   * A token to use instead of a rejected one (or of none): the one a concurrent renewal already
   * cached, else the result of the instance's one running renewal, so callers that fail together
   * share one refresher invoke and one SSM read.
   */
  #renew(name: string, rejectedToken?: string): Promise<TokenEnvelope> {
    const cached = this.#cache.get(name);
    if (
      cached !== undefined &&
      cached.envelope.token !== rejectedToken &&
      !cached.isExpired(this.#options.minValiditySeconds)
    ) {
      return Promise.resolve(cached.envelope);
    }
    const running = this.#renewing.get(name);
    if (running !== undefined) return running;
    const renewing = this.#renewOnce(name).finally(() => this.#renewing.delete(name));
    this.#renewing.set(name, renewing);
    return renewing;
  }

  /** Drops the cached token, asks the refresher (if any, and not in its cooldown), reads SSM. */
  async #renewOnce(name: string): Promise<TokenEnvelope> {
    this.clearCache(name);
    await this.#refresher?.refresh(name);
    return this.getToken(name, { forceFetch: true });
  }

  #send(envelope: TokenEnvelope, url: string | URL, init: RequestInit): Promise<Response> {
    const target = resolveTokenUrl(url, envelope, this.#options.allowedOrigins);
    const headers = new Headers(init.headers);
    for (const [key, value] of Object.entries(buildAuthorizationHeaders(envelope))) {
      headers.set(key, value);
    }
    // Never follow: the token and the instance's headers would go along to wherever it points.
    const redirect = init.redirect === 'error' ? 'error' : 'manual';
    return fetch(target, { ...init, headers, redirect });
  }

  /** One SSM read per instance at a time; a forced read starts a new one that later reads join. */
  #read(name: string, forceFetch: boolean): Promise<CachedToken> {
    const running = this.#reading.get(name);
    if (running !== undefined && !forceFetch) return running;
    const reading: Promise<CachedToken> = this.#load(name).then(
      (entry) => {
        if (this.#reading.get(name) === reading) {
          this.#reading.delete(name);
          this.#cache.set(name, entry);
        }
        return entry;
      },
      (error: unknown) => {
        if (this.#reading.get(name) === reading) this.#reading.delete(name);
        throw error;
      },
    );
    this.#reading.set(name, reading);
    return reading;
  }

  async #load(name: string): Promise<CachedToken> {
    if (!INSTANCE_NAME_PATTERN.test(name)) {
      throw new TypeError(`"${name}" is not a valid token-broker instance name`);
    }
    const envelope = await readTokenParameter(
      this.#options.ssmClient,
      name,
      this.#parameterName(name),
    );
    return new CachedToken(envelope);
  }

  #parameterName(name: string): string {
    return tokenParameterName(this.#options.parameterPrefix, name);
  }
}

/**
 * The headers a call to the envelope's API needs: its extra `headers` (such as `X-Site`) and
 * `Authorization: {tokenType} {token}`. An `Authorization` among the extra headers, in any case,
 * is dropped so the token's one always wins.
 *
 * @example
 * ```ts
 * buildAuthorizationHeaders(envelope); // { 'X-Site': 'sandbox', Authorization: 'Bearer eyJ…' }
 * ```
 */
export function buildAuthorizationHeaders(envelope: TokenEnvelope): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(envelope.headers)) {
    if (key.toLowerCase() !== 'authorization') headers[key] = value;
  }
  headers.Authorization = `${envelope.tokenType} ${envelope.token}`;
  return headers;
}
