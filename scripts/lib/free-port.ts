import { createServer } from 'node:net';

const HOST = '127.0.0.1';

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * The preferred port when nothing listens on it, else the next free one. Services we start keep a
 * stable, recognisable port in the common case and still start when another program took it.
 */
export async function findFreePort(preferred: number, attempts = 100): Promise<number> {
  for (let port = preferred; port < preferred + attempts && port < 65_536; port++) {
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port on ${HOST} between ${preferred} and ${preferred + attempts - 1}`);
}
