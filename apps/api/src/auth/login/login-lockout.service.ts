import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import { authConfig, type AuthConfig } from '@dashtam/config';
import type { UserEntity } from '@dashtam/database';
import { redisKeys } from '@dashtam/platform';

import { CounterStore } from '../../infra/rate-limit/counter.store';

/**
 * Temporary lockout after AUTH_LOCKOUT_THRESHOLD failed logins within AUTH_LOCKOUT_WINDOW_SECONDS,
 * for AUTH_LOCKOUT_DURATION_SECONDS. Accounts keep their counters in `users` (SPEC §4). Unknown
 * emails get the same treatment from the shared counter store, so a lockout answer never reveals
 * whether an account exists.
 */
@Injectable()
export class LoginLockoutService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly counters: CounterStore,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
  ) {}

  /** Seconds until the lock on this email ends; 0 when it is not locked. */
  async lockedForSeconds(email: string, user: UserEntity | null): Promise<number> {
    const ms = user ? (user.lockedUntil?.getTime() ?? 0) - Date.now() : await this.counters.blockedFor(this.key(email));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  /** Counts a failed login; returns the lock's length in seconds when this failure triggered it, else 0. */
  async recordFailure(email: string, user: UserEntity | null): Promise<number> {
    const { threshold, windowSeconds, durationSeconds } = this.auth.lockout;
    if (!user) {
      const hit = await this.counters.hit(this.key(email), windowSeconds * 1000, threshold - 1, durationSeconds * 1000);
      return hit.blockedForMs > 0 ? durationSeconds : 0;
    }
    // Row-level locking serialises concurrent failures, so each one is counted exactly once.
    const [counted] = (await this.dataSource.query(
      `UPDATE users SET
         failed_login_count = CASE WHEN failed_logins_since IS NULL
           OR failed_logins_since <= now() - make_interval(secs => $2) THEN 1 ELSE failed_login_count + 1 END,
         failed_logins_since = CASE WHEN failed_logins_since IS NULL
           OR failed_logins_since <= now() - make_interval(secs => $2) THEN now() ELSE failed_logins_since END
       WHERE id = $1
       RETURNING failed_login_count`,
      [user.id, windowSeconds],
    )) as [Array<{ failed_login_count: number }>, number];
    if ((counted[0]?.failed_login_count ?? 0) < threshold) return 0;
    const [locked] = (await this.dataSource.query(
      `UPDATE users SET locked_until = now() + make_interval(secs => $3), failed_login_count = 0,
              failed_logins_since = NULL
        WHERE id = $1 AND failed_login_count >= $2
        RETURNING id`,
      [user.id, threshold, durationSeconds],
    )) as [unknown[], number];
    return locked.length > 0 ? durationSeconds : 0;
  }

  private key(email: string): string {
    // The builder hashes the address, so Redis never holds what people typed.
    return redisKeys.lockoutCounter(email);
  }
}
