import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';

import { LocalRedis } from '../../scripts/lib/local-redis';
import { ensureTool, REDIS_SERVER } from '../../scripts/lib/system-tools';
import { redisAnswers } from '../../scripts/lib/redis-probe';
import { freeEphemeralPort } from './support';

describe('LocalRedis (real redis-server)', () => {
  let dir: string;
  let redis: LocalRedis;
  const quiet = (): void => undefined;

  beforeAll(async () => {
    // The same binary test-env setup would use (installed by it when missing and possible).
    ensureTool(REDIS_SERVER, quiet);
    dir = await mkdtemp(join(tmpdir(), 'dashtam-redis-'));
    redis = new LocalRedis({ dir, preferredPort: await freeEphemeralPort() });
  });

  afterAll(async () => {
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function withClient<T>(port: number, fn: (client: Redis) => Promise<T>): Promise<T> {
    const client = new Redis(`redis://127.0.0.1:${port}/1`, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      client.disconnect();
    }
  }

  it('starts a daemonized, loopback-only server without persistence and reuses it while it runs', async () => {
    const { port, startedNow } = await redis.start(quiet);
    expect(startedNow).toBe(true);
    const config = await withClient(port, async (client) => ({
      save: await client.config('GET', 'save'),
      appendonly: await client.config('GET', 'appendonly'),
      bind: await client.config('GET', 'bind'),
    }));
    expect(config).toEqual({ save: ['save', ''], appendonly: ['appendonly', 'no'], bind: ['bind', '127.0.0.1'] });
    expect(await redis.start(quiet)).toEqual({ port, startedNow: false });
    expect(await redis.runningPort()).toBe(port);
  });

  it('stops the server it started and leaves no data behind; the next start is empty', async () => {
    const { port } = await redis.start(quiet);
    await withClient(port, (client) => client.set('local-env:probe', 'gone after stop'));
    const pid = Number((await readFile(join(dir, 'redis.pid'), 'utf8')).trim());

    expect(await redis.stop()).toBe(true);
    expect(await redisAnswers(`redis://127.0.0.1:${port}/1`)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(await redis.runningPort()).toBeNull();
    expect(await redis.stop()).toBe(false);
    expect((await readdir(dir)).filter((f) => f.endsWith('.rdb') || f.startsWith('appendonly'))).toEqual([]);

    const again = await redis.start(quiet);
    expect(again.startedNow).toBe(true);
    expect(await withClient(again.port, (client) => client.get('local-env:probe'))).toBeNull();
    expect(existsSync(join(dir, 'redis.log'))).toBe(true);
  });

  it('kill() is SIGKILL: the server is gone at once and comes back empty on the same port', async () => {
    const { port } = await redis.start(quiet);
    await withClient(port, (client) => client.set('local-env:probe', 'gone after a crash'));

    expect(await redis.kill()).toBe(true);
    expect(await redisAnswers(`redis://127.0.0.1:${port}/1`)).toBe(false);
    expect(await redis.runningPort()).toBeNull();
    expect(await redis.kill()).toBe(false);

    const again = await redis.start(quiet);
    expect(again).toEqual({ port, startedNow: true });
    expect(await withClient(port, (client) => client.get('local-env:probe'))).toBeNull();
  });
});
