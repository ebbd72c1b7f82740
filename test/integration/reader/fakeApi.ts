import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local API that accepts one bearer token at a time. */
export interface FakeApi {
  /** `http://127.0.0.1:PORT`, for an envelope's `baseUrl`. */
  readonly url: string;
  /** Every request received: path, headers and body. */
  readonly requests: readonly { path: string; headers: IncomingHttpHeaders; body: string }[];
  /** The only token answered with 200 from now on; any other gets 401. */
  accept(token: string): void;
  /** Answers every request from now on with `307 Location: {location}` (`undefined`: stop). */
  redirectTo(location: string | undefined): void;
  close(): Promise<void>;
}

/** Starts an API on 127.0.0.1 that answers 200 `{path}` to `Bearer {accepted}`, else 401 (or redirects). */
export async function startFakeApi(): Promise<FakeApi> {
  let accepted = '';
  let redirect: string | undefined;
  const requests: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      requests.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString() });
      if (redirect !== undefined) {
        response.writeHead(307, { Location: redirect }).end();
        return;
      }
      const ok = request.headers.authorization === `Bearer ${accepted}`;
      response
        .writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' })
        .end(JSON.stringify(ok ? { path } : { status: 401, message: 'Unauthorized' }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accept: (token) => {
      accepted = token;
    },
    redirectTo: (location) => {
      redirect = location;
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
