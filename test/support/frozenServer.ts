import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';

/** A TCP server that accepts every connection and never answers. */
export interface FrozenServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Destroys every held connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a frozen endpoint on a free port of 127.0.0.1: the TCP handshake completes, nothing sent
 * is read and nothing is ever answered, as a hung server or a stalled load balancer behaves. A
 * client gets no error until its own timeout fires.
 *
 * @example
 * const frozen = await startFrozenServer();
 * createRefresherClients({ requestTimeoutMs: 200 }); // with AWS_ENDPOINT_URL=frozen.url
 */
export async function startFrozenServer(): Promise<FrozenServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('frozen server: no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    get connections() {
      return connections;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
