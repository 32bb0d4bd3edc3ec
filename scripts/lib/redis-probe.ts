import Redis from 'ioredis';

/** True when a Redis server answers PING at `url` within a second or so; never retries. */
export async function redisAnswers(url: string | null): Promise<boolean> {
  if (!url) return false;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_500,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // A refused connection is an answer ("no"), not a crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
