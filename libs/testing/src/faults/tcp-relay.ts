import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

const DEFAULT_PORTS: Record<string, number> = { 'redis:': 6379, 'postgres:': 5432, 'postgresql:': 5432 };

function relayUrl(target: URL, port: number): string {
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}

export interface TcpRelay {
  /** The target's URL (scheme, credentials, path) with the relay's host and port. */
  url: string;
  /** An outage: drops every connection; new ones are accepted and never answered, as across a dead network. */
  cut: () => void;
  restore: () => void;
  close: () => Promise<void>;
}

/**
 * A TCP relay to a real server (Redis, PostgreSQL) that a test can cut, as a network failure would; the
 * server itself is never touched.
 */
export async function startTcpRelay(target: URL): Promise<TcpRelay> {
  const relayed = new Set<Socket>();
  // Connections accepted during the outage: never answered, reset when the network "comes back".
  const stalled = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    client.on('error', () => undefined);
    if (!open) return void stalled.add(client);
    const upstream = connect(Number(target.port || DEFAULT_PORTS[target.protocol]), target.hostname);
    const drop = (): void => {
      for (const socket of [client, upstream]) {
        socket.destroy();
        relayed.delete(socket);
      }
    };
    for (const socket of [client, upstream]) {
      relayed.add(socket);
      socket.on('error', drop).on('close', drop);
    }
    client.pipe(upstream).pipe(client);
  });
  const destroyAll = (sockets: Set<Socket>): void => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: relayUrl(target, port),
    cut: () => {
      open = false;
      destroyAll(relayed);
    },
    restore: () => {
      open = true;
      destroyAll(stalled);
    },
    close: async () => {
      open = false;
      destroyAll(relayed);
      destroyAll(stalled);
      server.close();
      await once(server, 'close');
    },
  };
}
