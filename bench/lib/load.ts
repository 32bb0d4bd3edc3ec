import autocannon, { type Client } from 'autocannon';

/** One request a connection repeats: the user's token and path. */
export interface LoadRequest {
  path: string;
  headers: Record<string, string>;
}

export interface SliceResult {
  rps: number;
  p50: number;
  p99: number;
  /** Responses that were not 2xx, connection errors and timeouts: any of them spoils the slice. */
  failures: number;
  requests: number;
}

/**
 * Loads `url` for `seconds` with `connections` keep-alive connections, connection i repeating request
 * i mod n (so each seeded user gets an equal share), and reports throughput and latency.
 */
export async function runSlice(
  url: string,
  requests: LoadRequest[],
  connections: number,
  seconds: number,
): Promise<SliceResult> {
  if (requests.length === 0) throw new Error('a load slice needs at least one request');
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    // autocannon's default 10 s would hide a stall in a short slice.
    timeout: Math.max(2, seconds),
    setupClient: (client: Client) => {
      const { path, headers } = requests[next % requests.length];
      next += 1;
      client.setRequests([{ method: 'GET', path, headers }]);
    },
  });
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    requests: result.requests.total,
  };
}
