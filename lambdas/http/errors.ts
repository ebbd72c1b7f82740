/**
 * Errors of the HTTP layer. They name the endpoint's origin at most (never a path, query, header or
 * body), so they are safe to log; the provider layer wraps them into errors that name the instance.
 */

/** The URL is not https (plain http is allowed only for loopback hosts) or carries credentials. */
export class InsecureUrlError extends Error {
  public override readonly name = 'InsecureUrlError';
}

/** One attempt did not complete within its timeout. */
export class HttpTimeoutError extends Error {
  public override readonly name = 'HttpTimeoutError';
  public readonly timeoutMs: number;

  public constructor(origin: string, timeoutMs: number, options?: ErrorOptions) {
    super(`no response from ${origin} within ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}

/** The connection failed (refused, reset, DNS, TLS) on every attempt. */
export class HttpNetworkError extends Error {
  public override readonly name = 'HttpNetworkError';

  public constructor(origin: string, options?: ErrorOptions) {
    const reason = (options?.cause as { cause?: { code?: unknown; message?: unknown } } | undefined)
      ?.cause;
    const why = typeof reason?.code === 'string' ? reason.code : reason?.message;
    super(`cannot reach ${origin}${typeof why === 'string' ? ` (${why})` : ''}`, options);
  }
}

/** The response body is larger than the cap; reading stopped at the cap. */
export class ResponseTooLargeError extends Error {
  public override readonly name = 'ResponseTooLargeError';
  public readonly maxBytes: number;

  public constructor(origin: string, maxBytes: number, options?: ErrorOptions) {
    super(`the response from ${origin} is larger than ${maxBytes} bytes`, options);
    this.maxBytes = maxBytes;
  }
}
