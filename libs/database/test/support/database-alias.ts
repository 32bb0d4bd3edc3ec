import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

const SSL_REQUEST = 80_877_103;
const GSS_ENCRYPTION_REQUEST = 80_877_104;

export interface DatabaseAlias {
  /** The upstream URL with this proxy's address and the alias as the database name. */
  url: string;
  close: () => Promise<void>;
}

/**
 * What a connection pooler's or service's database alias does: a loopback TCP proxy to the PostgreSQL
 * server of `upstreamUrl` that accepts any database name in the client's startup message and connects
 * to the upstream URL's database instead. A URL through it names `alias` but lands elsewhere.
 */
export async function startDatabaseAlias(upstreamUrl: string, alias: string): Promise<DatabaseAlias> {
  const upstream = new URL(upstreamUrl);
  const target = decodeURIComponent(upstream.pathname.slice(1));
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    let pending = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8 && pending.length >= pending.readInt32BE(0)) {
        const length = pending.readInt32BE(0);
        const code = pending.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSS_ENCRYPTION_REQUEST) {
          // No encryption on loopback: the client goes on in plain text.
          client.write('N');
          pending = pending.subarray(length);
          continue;
        }
        client.off('data', onData);
        const startup = withDatabase(pending.subarray(0, length), target);
        const rest = pending.subarray(length);
        const postgres = createConnection(Number(upstream.port || 5432), upstream.hostname);
        sockets.add(postgres);
        postgres.once('close', () => sockets.delete(postgres));
        postgres.write(Buffer.concat([startup, rest]));
        client.pipe(postgres).pipe(client);
        postgres.on('error', () => client.destroy());
        client.on('error', () => postgres.destroy());
        return;
      }
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(upstreamUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  url.pathname = `/${encodeURIComponent(alias)}`;
  return {
    url: url.toString(),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The startup message with its `database` parameter replaced (protocol 3: code, then key\0value\0 pairs, \0). */
function withDatabase(message: Buffer, database: string): Buffer {
  const fields = message
    .subarray(8, message.length - 1)
    .toString('utf8')
    .split('\0');
  const params = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) params.set(fields[i], fields[i + 1]);
  params.set('database', database);
  const body = Buffer.from([...params].map(([key, value]) => `${key}\0${value}\0`).join('') + '\0', 'utf8');
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + body.length, 0);
  header.writeInt32BE(message.readInt32BE(4), 4);
  return Buffer.concat([header, body]);
}
