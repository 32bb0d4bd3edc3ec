import request, { type Test } from 'supertest';

// Lists come back in the shape the api builds them with.
export type { Page } from '@dashtam/api-app';

type Headers = Record<string, string>;

export interface ProviderBody {
  id: string;
  provider_key: string;
  alias: string;
  status: string;
  is_connected: boolean;
  needs_reconnection: boolean;
  connected_at: string | null;
  last_sync_at: string | null;
  next_sync_at: string | null;
  accounts_count: number;
  error_message: string | null;
  created_at: string;
  updated_at: string;
}

export interface TokenStatusBody {
  status: string;
  expires_at: string | null;
  has_refresh_token: boolean | null;
  scope: string | null;
  last_refreshed_at: string | null;
  refresh_count: number | null;
  refresh_token_expires_at: string | null;
}

export interface AuditLogBody {
  id: string;
  action: string;
  details: Record<string, unknown>;
  ip_address: string | null;
  user_agent: string | null;
  request_id: string | null;
  created_at: string;
}

/** The provider routes of SPEC §8, one method each; answers are raw supertest responses. */
export class ProvidersApi {
  constructor(
    private readonly baseUrl: string,
    private readonly auth: Headers,
  ) {}

  types(query: Record<string, string> = {}): Test {
    return request(this.baseUrl).get('/api/v1/provider-types').query(query);
  }

  type(key: string): Test {
    return request(this.baseUrl).get(`/api/v1/provider-types/${encodeURIComponent(key)}`);
  }

  create(body: object, headers: Headers = {}): Test {
    return request(this.baseUrl)
      .post('/api/v1/providers')
      .set({ ...this.auth, ...headers })
      .send(body);
  }

  /** Creates a provider and returns its body; fails the test on anything but 201. */
  async created(alias: string, providerKey = 'sandbox'): Promise<ProviderBody> {
    const res = await this.create({ provider_key: providerKey, alias });
    if (res.status !== 201) throw new Error(`create provider answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as ProviderBody;
  }

  list(query: Record<string, string | number> = {}): Test {
    return request(this.baseUrl).get('/api/v1/providers').set(this.auth).query(query);
  }

  get(id: string): Test {
    return request(this.baseUrl).get(`/api/v1/providers/${id}`).set(this.auth);
  }

  update(id: string, body: object, headers: Headers = {}): Test {
    return request(this.baseUrl)
      .patch(`/api/v1/providers/${id}`)
      .set({ ...this.auth, ...headers })
      .send(body);
  }

  remove(id: string, headers: Headers = {}): Test {
    return request(this.baseUrl)
      .delete(`/api/v1/providers/${id}`)
      .set({ ...this.auth, ...headers });
  }

  authorize(id: string, headers: Headers = {}): Test {
    return request(this.baseUrl)
      .post(`/api/v1/providers/${id}/authorization`)
      .set({ ...this.auth, ...headers });
  }

  /** `POST …/credentials`: `{setup_token}` or `{api_key_id, api_secret, environment}`. */
  linkCredentials(id: string, body: object, headers: Headers = {}): Test {
    return request(this.baseUrl)
      .post(`/api/v1/providers/${id}/credentials`)
      .set({ ...this.auth, ...headers })
      .send(body);
  }

  tokenStatus(id: string): Test {
    return request(this.baseUrl).get(`/api/v1/providers/${id}/authorization`).set(this.auth);
  }

  refresh(id: string, headers: Headers = {}): Test {
    return request(this.baseUrl)
      .patch(`/api/v1/providers/${id}/authorization`)
      .set({ ...this.auth, ...headers });
  }

  disconnect(id: string, headers: Headers = {}): Test {
    return request(this.baseUrl)
      .delete(`/api/v1/providers/${id}/authorization`)
      .set({ ...this.auth, ...headers });
  }

  auditLogs(id: string, query: Record<string, string | number> = {}): Test {
    return request(this.baseUrl).get(`/api/v1/providers/${id}/audit-logs`).set(this.auth).query(query);
  }
}

/** What the callback app does: POST /api/v1/oauth/callbacks with the shared secret. */
export function deliverCallback(baseUrl: string, body: object, secret: string | null): Test {
  const req = request(baseUrl).post('/api/v1/oauth/callbacks');
  return (secret === null ? req : req.set('x-callback-secret', secret)).send(body);
}
