import request, { type Test } from 'supertest';

import { waitFor } from '../wait/wait-for';

type Headers = Record<string, string>;

export interface SyncTally {
  created: number;
  updated: number;
  unchanged: number;
}

export interface SyncBody {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  trigger: 'manual' | 'scheduled' | 'linked';
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  accounts: SyncTally;
  positions: SyncTally;
  transactions: SyncTally;
  error: string | null;
  warnings: string[];
}

/** The sync routes of SPEC §8 for one signed-in user; answers are raw supertest responses. */
export class SyncsApi {
  constructor(
    private readonly baseUrl: string,
    private readonly auth: Headers,
  ) {}

  request(providerId: string, headers: Headers = {}, body?: object): Test {
    const req = request(this.baseUrl)
      .post(`/api/v1/providers/${providerId}/syncs`)
      .set({ ...this.auth, ...headers });
    return body === undefined ? req : req.send(body);
  }

  /** Asks for a sync and returns its id; fails the test on anything but 202. */
  async requested(providerId: string, headers: Headers = {}): Promise<string> {
    const res = await this.request(providerId, headers);
    if (res.status !== 202) throw new Error(`POST syncs answered ${res.status}: ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  list(providerId: string, query: Record<string, string | number> = {}): Test {
    return request(this.baseUrl).get(`/api/v1/providers/${providerId}/syncs`).set(this.auth).query(query);
  }

  get(providerId: string, syncId: string): Test {
    return request(this.baseUrl).get(`/api/v1/providers/${providerId}/syncs/${syncId}`).set(this.auth);
  }

  /** Waits until the sync has finished (succeeded or failed) and returns it. */
  finished(providerId: string, syncId: string, timeoutMs = 30_000): Promise<SyncBody> {
    return waitFor(
      `sync ${syncId} to finish`,
      async () => {
        const res = await this.get(providerId, syncId);
        if (res.status !== 200) throw new Error(`GET sync answered ${res.status}`);
        const sync = res.body as SyncBody;
        return sync.status === 'succeeded' || sync.status === 'failed' ? sync : undefined;
      },
      { timeoutMs },
    );
  }

  /** Asks for a sync and waits for it to finish. */
  async run(providerId: string, headers: Headers = {}): Promise<SyncBody> {
    return this.finished(providerId, await this.requested(providerId, headers));
  }
}
