import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

export interface RedisProxy {
  /** redis:// URL of the proxy, same database index as the target. */
  url: string;
  /** An outage: drops every connection; new ones are accepted and never answered, as across a dead network. */
  cut: () => void;
  restore: () => void;
  close: () => Promise<void>;
}

/** A TCP relay to the real Redis that a test can cut, as a network failure would. */
export async function startRedisProxy(target: URL): Promise<RedisProxy> {
  const relayed = new Set<Socket>();
  // Connections accepted during the outage: never answered, reset when the network "comes back".
  const stalled = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    client.on('error', () => undefined);
    if (!open) return void stalled.add(client);
    const upstream = connect(Number(target.port || 6379), target.hostname);
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
    url: `redis://127.0.0.1:${port}${target.pathname}`,
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
