import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP listener waiting for one authorization redirect. */
export interface RedirectListener {
  /** `http://127.0.0.1:PORT/callback`, the `redirect_uri` to register and send. */
  readonly redirectUri: string;
  /** The query of the first request to `/callback`. */
  readonly query: Promise<URLSearchParams>;
  close(): Promise<void>;
}

const PAGE = (text: string) =>
  `<!doctype html><meta charset="utf-8"><title>token-broker</title><p>${text}</p>\n`;

/**
 * Listens on 127.0.0.1 (RFC 8252 §7.3: a loopback IP literal, not `localhost`) on `port`, or a
 * random free port, for the browser's redirect to `/callback`. The first such request settles
 * `query`; the browser is told to close the window. Nothing else is served.
 *
 * @example
 * const listener = await listenForRedirect(undefined);
 * const query = await listener.query; // after the browser was redirected
 * await listener.close();
 */
export async function listenForRedirect(port: number | undefined): Promise<RedirectListener> {
  let deliver: (query: URLSearchParams) => void = () => {};
  const query = new Promise<URLSearchParams>((resolve) => {
    deliver = resolve;
  });
  let delivered = false;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== '/callback' || delivered) {
      response
        .writeHead(404, { 'Content-Type': 'text/html;charset=utf-8' })
        .end(PAGE('Not found.'));
      return;
    }
    delivered = true;
    response
      .writeHead(200, { 'Content-Type': 'text/html;charset=utf-8', 'Cache-Control': 'no-store' })
      .end(PAGE('token-broker received the answer. You can close this window.'));
    deliver(url.searchParams);
  });
  server.listen(port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${bound}/callback`,
    query,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
