import { Injectable } from '@nestjs/common';

import type { CountedEndpoint } from './fault.types';

export interface CounterSnapshot {
  authorize: number;
  consent: number;
  token: number;
  revoke: number;
  accounts: number;
  transactions: number;
  /** Alpaca's Trading API: `GET /v2/account`, `GET /v2/positions`, `GET /v2/account/activities[/{type}]`. */
  alpaca_account: number;
  alpaca_positions: number;
  alpaca_activities: number;
  simplefin_claim: number;
  simplefin_info: number;
  simplefin_accounts: number;
  /** Token calls by `grant_type` as sent (`other` for anything else, missing included). */
  token_grants: { authorization_code: number; refresh_token: number; other: number };
}

/** Calls per endpoint, counted on arrival: a call a fault answered (or dropped) still counts. */
@Injectable()
export class CallCounters {
  private counts = CallCounters.zero();

  record(endpoint: CountedEndpoint, grantType?: unknown): void {
    this.counts[endpoint] += 1;
    if (endpoint !== 'token') return;
    const grants = this.counts.token_grants;
    if (grantType === 'authorization_code' || grantType === 'refresh_token') grants[grantType] += 1;
    else grants.other += 1;
  }

  snapshot(): CounterSnapshot {
    return { ...this.counts, token_grants: { ...this.counts.token_grants } };
  }

  reset(): void {
    this.counts = CallCounters.zero();
  }

  private static zero(): CounterSnapshot {
    return {
      authorize: 0,
      consent: 0,
      token: 0,
      revoke: 0,
      accounts: 0,
      transactions: 0,
      alpaca_account: 0,
      alpaca_positions: 0,
      alpaca_activities: 0,
      simplefin_claim: 0,
      simplefin_info: 0,
      simplefin_accounts: 0,
      token_grants: { authorization_code: 0, refresh_token: 0, other: 0 },
    };
  }
}
