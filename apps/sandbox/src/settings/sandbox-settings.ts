import { Inject, Injectable } from '@nestjs/common';

import type { RotationMode, SandboxOptions } from '../sandbox-options';
import { SANDBOX_OPTIONS } from '../sandbox.tokens';
import { ACCOUNT_KINDS, type AccountKind } from '../trader/data/account-profiles';

/** The `closed` account disappears this long (Sandbox time) after the Sandbox starts or is reset. */
export const DEFAULT_CLOSED_ACCOUNT_AFTER_SECONDS = 2 * 86_400;

/** The knobs `POST /__sandbox/settings` may turn at runtime; `reset` restores the configured values. */
export interface RuntimeSettings {
  rotation: RotationMode;
  /**
   * The retry grace of rotating institutions (Okta, Cognito's RetryGracePeriodSeconds): for this many
   * seconds after a rotation the rotated-out refresh token redeems again, as long as its successor was
   * never used; the successor pair is then void. Any other reuse still revokes the grant. 0 = none.
   */
  reuseGraceSeconds: number;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  codeTtlSeconds: number;
  autoApprove: boolean;
  user: string;
  transactionsPerAccount: number;
  redirectUris: readonly string[];
  /** Which of every user's accounts are served (all kinds by default; a benchmark may want one). */
  accountKinds: readonly AccountKind[];
  /** The `closed` account is served until the clock passes start (or reset) + this. */
  closedAccountAfterSeconds: number;
  /**
   * Each access token answers this many Trader-API calls, then 401 as if it had expired (a token that
   * runs out mid-sync); null = only its lifetime counts.
   */
  accessTokenCallLimit: number | null;
}

@Injectable()
export class SandboxSettings {
  private settings: RuntimeSettings;

  constructor(@Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions) {
    this.settings = this.initial();
  }

  get current(): Readonly<RuntimeSettings> {
    return this.settings;
  }

  /** `undefined` leaves a setting alone; `accessTokenCallLimit: null` lifts the limit. */
  update(patch: Partial<RuntimeSettings>): Readonly<RuntimeSettings> {
    const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    this.settings = { ...this.settings, ...defined };
    return this.settings;
  }

  /** Exact string comparison, as Schwab does: no trailing-slash or case leniency. */
  isRegisteredRedirectUri(uri: string): boolean {
    return this.settings.redirectUris.includes(uri);
  }

  reset(): void {
    this.settings = this.initial();
  }

  private initial(): RuntimeSettings {
    const o = this.options;
    return {
      rotation: o.rotation,
      reuseGraceSeconds: o.reuseGraceSeconds,
      accessTtlSeconds: o.accessTtlSeconds,
      refreshTtlSeconds: o.refreshTtlSeconds,
      codeTtlSeconds: o.codeTtlSeconds,
      autoApprove: o.autoApprove,
      user: o.user,
      transactionsPerAccount: o.transactionsPerAccount,
      redirectUris: [...o.redirectUris],
      accountKinds: [...ACCOUNT_KINDS],
      closedAccountAfterSeconds: DEFAULT_CLOSED_ACCOUNT_AFTER_SECONDS,
      accessTokenCallLimit: null,
    };
  }
}
