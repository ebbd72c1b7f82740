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
