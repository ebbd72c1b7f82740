import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a fake answers: `unavailable` = 503 to everything, `reject` = valid credentials refused. */
export type FakeMode = 'normal' | 'unavailable' | 'reject';

/** One request as the fake received it. */
export interface FakeRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A response for the fake to send; a non-string `body` is sent as JSON. */
export interface FakeReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** The token this reply hands out: counts as a successful login. */
  readonly issuedToken?: string;
  /**
   * A slow body: the status line, headers and first byte go out at once, the rest of the body
   * this many milliseconds later (default: all at once).
   */
  readonly slowBodyMs?: number;
}

/**
 * A reply queued with {@link FakeProviderServer.enqueue}: a response, a dropped connection, or a
 * function of the request it answers (to echo back what the client sent).
 */
export type ScriptedReply =
  | FakeReply
  | { readonly destroy: true }
  | ((request: FakeRequest) => FakeReply);

/** A running fake provider server on 127.0.0.1. */
export interface FakeProviderServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Successful logins so far. */
  readonly logins: number;
  /** All requests so far. */
  readonly requests: number;
  setMode(mode: FakeMode): void;
  /** Tokens handed out, oldest first. */
  issuedTokens(): readonly string[];
  /** Every request received, oldest first (tests assert on headers and bodies). */
  received(): readonly FakeRequest[];
  /** Answers the next requests with these replies, in order, before normal handling. */
  enqueue(...replies: readonly ScriptedReply[]): void;
  close(): Promise<void>;
}

/** What every fake accepts besides its vendor's options. */
export interface FakeServerOptions {
  /** Delay before every response, in milliseconds (default 0); a real timer, so not for tests that mock setTimeout. */
  readonly latencyMs?: number;
  /**
   * The vendor's clock in epoch ms, for its TOTP checks and the times in the tokens it issues
   * (default `Date.now`): a skewed vendor clock is `() => Date.now() + skewMs`.
   */
  readonly now?: () => number;
}

/** A vendor's request handler: sees the current mode, returns the reply. */
export type FakeHandler = (request: FakeRequest, mode: FakeMode) => FakeReply;

function send(response: ServerResponse, reply: FakeReply, timers: Set<NodeJS.Timeout>): void {
  const json = typeof reply.body !== 'string' && reply.body !== undefined;
  const body = json ? JSON.stringify(reply.body) : ((reply.body as string | undefined) ?? '');
  response.writeHead(reply.status, {
    ...(json ? { 'Content-Type': 'application/json;charset=UTF-8' } : {}),
    ...reply.headers,
  });
  if (reply.slowBodyMs === undefined || body === '') {
    response.end(body);
    return;
  }
  response.write(body.slice(0, 1));
  const timer = setTimeout(() => {
    timers.delete(timer);
    response.end(body.slice(1));
  }, reply.slowBodyMs);
  timers.add(timer);
}

/**
 * Starts an HTTP server on a free port of 127.0.0.1 that counts requests and logins, applies the
 * mode `unavailable` (503) itself, and passes everything else to the vendor's handler.
 */
export async function startFakeServer(
  handler: FakeHandler,
  options: FakeServerOptions = {},
): Promise<FakeProviderServer> {
  let mode: FakeMode = 'normal';
  let requests = 0;
  const tokens: string[] = [];
  const log: FakeRequest[] = [];
  const script: ScriptedReply[] = [];
  const latencyMs = options.latencyMs ?? 0;
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests += 1;
      const received: FakeRequest = {
        method: request.method ?? '',
        url: new URL(request.url ?? '/', 'http://127.0.0.1'),
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      log.push(received);
      const scripted = script.shift();
      const respond = () => {
        if (scripted !== undefined && 'destroy' in scripted) {
          request.socket.destroy();
          return;
        }
        const reply =
          (typeof scripted === 'function' ? scripted(received) : scripted) ??
          (mode === 'unavailable'
            ? {
                status: 503,
                body: 'Service Unavailable',
                headers: { 'Content-Type': 'text/plain' },
              }
            : handler(received, mode));
        if (reply.issuedToken !== undefined) tokens.push(reply.issuedToken);
        send(response, reply, timers);
      };
      if (latencyMs > 0) setTimeout(respond, latencyMs);
      else respond();
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get logins() {
      return tokens.length;
    },
    get requests() {
      return requests;
    },
    setMode(next) {
      mode = next;
    },
    issuedTokens: () => [...tokens],
    received: () => [...log],
    enqueue(...replies) {
      script.push(...replies);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
