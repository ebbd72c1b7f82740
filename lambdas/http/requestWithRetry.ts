import { isAllowedEndpoint } from '../config/urls.ts';
import { backoffDelay, retryAfterDelay } from './delays.ts';
import {
  HttpNetworkError,
  HttpTimeoutError,
  InsecureUrlError,
  ResponseTooLargeError,
} from './errors.ts';
import { type HttpOptions, type ResolvedHttpOptions, resolveHttpOptions } from './HttpOptions.ts';

/** One HTTP request to send. */
export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A complete HTTP response, its body read (within the size cap) as UTF-8 text. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  /** When the request that got this response was sent (epoch ms). */
  readonly sentAt: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

/**
 * Checks that a URL may carry credentials: https, or http to a loopback host; no user info.
 *
 * @example
 * checkEndpoint('https://idp.example.org/token'); // => URL
 * @throws {InsecureUrlError} naming the origin only
 */
function checkEndpoint(url: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined) throw new InsecureUrlError('the endpoint is not an absolute URL');
  if (!isAllowedEndpoint(parsed)) {
    throw new InsecureUrlError(
      `refusing ${parsed.protocol}//${parsed.host}: use https (plain http only for loopback hosts)`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new InsecureUrlError(`refusing a URL with user info for ${parsed.origin}`);
  }
  return parsed;
}

/**
 * Reads a response body as UTF-8, streaming, and stops (cancelling the stream) as soon as it is
 * larger than `maxBytes`, so a hostile or broken server cannot exhaust memory.
 *
 * @throws {ResponseTooLargeError} when the body is larger than `maxBytes`
 */
async function readCappedBody(
  response: Response,
  maxBytes: number,
  origin: string,
): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new ResponseTooLargeError(origin, maxBytes);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ResponseTooLargeError(origin, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Whether a status is worth another attempt: 429 (rate limited) and 5xx. 400/401/403 never are. */
function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

async function sendOnce(
  request: HttpRequest,
  url: URL,
  settings: ResolvedHttpOptions,
  attempt: number,
): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const signal =
    settings.signal === undefined ? timeout : AbortSignal.any([settings.signal, timeout]);
  const sentAt = settings.now();
  try {
    const response = await fetch(url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal,
      redirect: 'manual',
    });
    const body = await readCappedBody(response, settings.maxBodyBytes, url.origin);
    return { status: response.status, headers: response.headers, body, sentAt, attempt };
  } catch (error) {
    if (settings.signal?.aborted) throw settings.signal.reason;
    if (timeout.aborted)
      throw new HttpTimeoutError(url.origin, settings.timeoutMs, { cause: error });
    if (error instanceof ResponseTooLargeError) throw error;
    throw new HttpNetworkError(url.origin, { cause: error });
  }
}

/**
 * Sends a request with native fetch: a timeout per attempt (combined with the caller's signal),
 * and bounded retries with exponential backoff and full jitter on network errors, timeouts, 429
 * (honouring `Retry-After`, capped) and 5xx. Other statuses, 400/401/403 included, are returned at
 * once. Redirects are not followed. `prepare` is called before every attempt, so an attempt can
 * carry fresh values (a new TOTP code) instead of replaying the first one.
 *
 * @example
 * const response = await requestWithRetry(() => ({ url, method: 'GET', headers: {} }), { timeoutMs: 5000 });
 * @returns the last response (a 429 or 5xx when the attempts ran out)
 * @throws {InsecureUrlError} before sending to a URL that is not https (or loopback http)
 * @throws {HttpTimeoutError} | {HttpNetworkError} when the last attempt failed that way
 * @throws {ResponseTooLargeError} when a body exceeds `maxBodyBytes`
 * @throws the caller's `signal.reason` when it aborts
 */
export async function requestWithRetry(
  prepare: (attempt: number) => HttpRequest | Promise<HttpRequest>,
  options: HttpOptions = {},
): Promise<HttpResponse> {
  const settings = resolveHttpOptions(options);
  for (let attempt = 1; ; attempt += 1) {
    settings.signal?.throwIfAborted();
    const request = await prepare(attempt);
    const url = checkEndpoint(request.url);
    let delay: number;
    try {
      const response = await sendOnce(request, url, settings, attempt);
      if (!isRetryableStatus(response.status) || attempt >= settings.maxAttempts) return response;
      delay =
        retryAfterDelay(
          response.headers.get('retry-after'),
          settings.now(),
          settings.maxRetryAfterMs,
        ) ?? backoffDelay(attempt, settings);
    } catch (error) {
      const transient = error instanceof HttpNetworkError || error instanceof HttpTimeoutError;
      if (!transient || attempt >= settings.maxAttempts) throw error;
      delay = backoffDelay(attempt, settings);
    }
    await settings.sleep(delay, settings.signal);
  }
}
