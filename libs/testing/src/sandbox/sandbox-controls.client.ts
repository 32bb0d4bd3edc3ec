/**
 * Typed client for the Sandbox's test controls (`/__sandbox/*`). Works against an in-process Sandbox
 * (startSandbox) or a separate process.
 */
export type FaultEndpoint =
  | 'authorize'
  | 'token'
  | 'revoke'
  | 'accounts'
  | 'transactions'
  | 'alpaca_account'
  | 'alpaca_positions'
  | 'alpaca_activities'
  | 'simplefin_claim'
  | 'simplefin_info'
  | 'simplefin_accounts';
export type FaultMode = '5xx' | '429' | 'timeout' | 'invalid_grant' | 'latency' | 'reset_after_commit' | 'expire_token';
export type SandboxAccountKind = 'individual' | 'margin' | 'ira' | 'cash' | 'closed';

export interface Counters {
  authorize: number;
  consent: number;
  token: number;
  revoke: number;
  accounts: number;
  transactions: number;
  alpaca_account: number;
  alpaca_positions: number;
  alpaca_activities: number;
  simplefin_claim: number;
  simplefin_info: number;
  simplefin_accounts: number;
  token_grants: { authorization_code: number; refresh_token: number; other: number };
}

export interface IssuedToken {
  kind: 'authorization_code' | 'access_token' | 'refresh_token' | 'id_token';
  value: string;
  user: string;
  family_id: string | null;
  issued_at: string;
  expires_at: string;
  status: 'active' | 'used' | 'rotated' | 'revoked' | 'expired';
}

export interface SandboxSettingsView {
  rotation: 'rotating' | 'static';
  reuse_grace_seconds: number;
  access_ttl_seconds: number;
  refresh_ttl_seconds: number;
  code_ttl_seconds: number;
  auto_approve: boolean;
  user: string;
  transactions_per_account: number;
  redirect_uris: string[];
  account_kinds: SandboxAccountKind[];
  closed_account_after_seconds: number;
  access_token_call_limit: number | null;
}

/** `POST /__sandbox/fixtures`: raw Trader-API objects served to the configured user until reset. */
export interface SandboxFixtures {
  accounts: Record<string, unknown>[];
  transactions?: Record<string, Record<string, unknown>[]>;
}

export interface AlpacaKeyPair {
  api_key_id: string;
  api_secret: string;
  environment: 'paper' | 'live';
}

export class SandboxControlsClient {
  constructor(private readonly baseUrl: string) {}

  fault(fault: { endpoint: FaultEndpoint; mode: FaultMode; count?: number; ms?: number }): Promise<unknown> {
    return this.post('/__sandbox/faults', fault);
  }

  advanceClock(seconds: number): Promise<{ now: string; offset_seconds: number }> {
    return this.post('/__sandbox/clock', { advance_seconds: seconds });
  }

  settings(patch: Partial<SandboxSettingsView>): Promise<SandboxSettingsView> {
    return this.post('/__sandbox/settings', patch);
  }

  counters(): Promise<Counters> {
    return this.get('/__sandbox/counters');
  }

  async issuedTokens(): Promise<IssuedToken[]> {
    return (await this.get<{ tokens: IssuedToken[] }>('/__sandbox/issued-tokens')).tokens;
  }

  async fixtures(fixtures: SandboxFixtures): Promise<void> {
    const res = await fetch(`${this.baseUrl}/__sandbox/fixtures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fixtures),
    });
    if (res.status !== 204) throw new Error(`POST /__sandbox/fixtures answered ${res.status}: ${await res.text()}`);
  }

  /** A new Alpaca API key pair (and with it a new seeded Alpaca account). */
  async alpacaKeys(environment?: 'paper' | 'live'): Promise<AlpacaKeyPair> {
    const res = await fetch(`${this.baseUrl}/__sandbox/alpaca/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(environment === undefined ? {} : { environment }),
    });
    if (res.status !== 201) throw new Error(`POST /__sandbox/alpaca/keys answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as AlpacaKeyPair;
  }

  /** A new SimpleFIN setup token whose claim URL points at this Sandbox (claimable once). */
  async simplefinSetupToken(): Promise<string> {
    const res = await fetch(`${this.baseUrl}/__sandbox/simplefin/setup-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    if (res.status !== 201) throw new Error(`POST /__sandbox/simplefin/setup-tokens answered ${res.status}`);
    return ((await res.json()) as { setup_token: string }).setup_token;
  }

  /** What every SimpleFIN `/accounts` answer reports in its `errors` array until changed or reset. */
  simplefinErrors(errors: string[]): Promise<{ errors: string[] }> {
    return this.post('/__sandbox/simplefin/errors', { errors });
  }

  async reset(): Promise<void> {
    const res = await fetch(`${this.baseUrl}/__sandbox/reset`, { method: 'POST' });
    if (res.status !== 204) throw new Error(`POST /__sandbox/reset answered ${res.status}`);
  }

  private async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }
}
