import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RefreshEvent } from '../../../lambdas/reader/contract/refreshEvent.ts';

/** A local stand-in for the Lambda Invoke API of one refresher function. */
export interface FakeRefresher {
  /** `http://127.0.0.1:PORT`, the endpoint for a `LambdaClient`. */
  readonly url: string;
  /** The events received, oldest first. */
  readonly events: readonly RefreshEvent[];
  /** The function names invoked, oldest first. */
  readonly functionNames: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP server that speaks Lambda's `POST /2015-03-31/functions/{name}/invocations`
 * (synchronous invoke) and runs `handle` for each event, like the refresher would: when `handle`
 * throws, the reply carries `X-Amz-Function-Error: Unhandled` and the Lambda error payload.
 *
 * @param handle - what the refresher does (such as publishing a new envelope to moto)
 * @param delayMs - extra time an invoke takes, to let concurrent callers pile up (default 0)
 */
export async function startFakeRefresher(
  handle: (event: RefreshEvent) => Promise<void>,
  delayMs = 0,
): Promise<FakeRefresher> {
  const events: RefreshEvent[] = [];
  const functionNames: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(request.url ?? '');
      if (request.method !== 'POST' || match?.[1] === undefined) {
        response.writeHead(404).end();
        return;
      }
      functionNames.push(decodeURIComponent(match[1]));
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RefreshEvent;
      events.push(event);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      try {
        await handle(event);
        response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      } catch (error) {
        const { name, message } = error as Error;
        response
          .writeHead(200, {
            'Content-Type': 'application/json',
            'X-Amz-Function-Error': 'Unhandled',
          })
          .end(JSON.stringify({ errorType: name, errorMessage: message }));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    functionNames,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
