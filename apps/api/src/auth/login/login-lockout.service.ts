import { Inject, Injectable } from '@nestjs/common';

import { authConfig, type AuthConfig } from '@dashtam/config';
import type { UserEntity } from '@dashtam/database';
import { redisKeys } from '@dashtam/platform';

import { CounterStore } from '../../infra/rate-limit/counter.store';
import { UsersRepository } from '../../users/users.repository';

/** The outcome of reserving a sign-in attempt, before any password work. */
export interface LoginAttempt {
  /** > 0: refuse now with this Retry-After, without checking the password. */
  lockedForSeconds: number;
  /** A wrong password on this attempt locks the account. */
  locksOnFailure: boolean;
}

/**
 * Temporary lockout after AUTH_LOCKOUT_THRESHOLD failed logins within AUTH_LOCKOUT_WINDOW_SECONDS,
 * for AUTH_LOCKOUT_DURATION_SECONDS. Each attempt is reserved atomically before the password is hashed,
 * so N parallel guesses check at most the threshold's worth of passwords. Accounts keep their counters
 * in `users` (SPEC §4); unknown emails get the same treatment from the shared counter store, so a
 * lockout answer never reveals whether an account exists.
 */
@Injectable()
export class LoginLockoutService {
  constructor(
    private readonly users: UsersRepository,
    private readonly counters: CounterStore,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
  ) {}

  async reserve(email: string, user: UserEntity | null): Promise<LoginAttempt> {
    const { threshold, windowSeconds, durationSeconds } = this.auth.lockout;
    if (!user) {
      const blockedMs = await this.counters.blockedFor(this.key(email));
      if (blockedMs > 0) return { lockedForSeconds: Math.ceil(blockedMs / 1000), locksOnFailure: false };
      const hit = await this.counters.hit(this.key(email), windowSeconds * 1000, threshold - 1, durationSeconds * 1000);
      return { lockedForSeconds: 0, locksOnFailure: hit.blockedForMs > 0 };
    }
    const attempt = await this.users.reserveLoginAttempt(user.id, windowSeconds);
    if (attempt === null) {
      const until = await this.users.loginLockedUntil(user.id);
      return { lockedForSeconds: secondsUntil(until) || 1, locksOnFailure: false };
    }
    // More attempts in flight than the threshold allows: the earlier ones decide, this one is refused.
    if (attempt > threshold) {
      return {
        lockedForSeconds: secondsUntil(await this.users.lockLogin(user.id, durationSeconds)),
        locksOnFailure: false,
      };
    }
    return { lockedForSeconds: 0, locksOnFailure: attempt === threshold };
  }

  /** A reserved attempt failed; returns the lock's length in seconds when it locked the account, else 0. */
  async recordFailure(user: UserEntity | null, attempt: LoginAttempt): Promise<number> {
    if (!attempt.locksOnFailure) return 0;
    const { durationSeconds } = this.auth.lockout;
    // Unknown emails were blocked by the counter store when the attempt was reserved.
    if (user) await this.users.lockLogin(user.id, durationSeconds);
    return durationSeconds;
  }

  /** The password was right: the reserved attempt and earlier failures no longer count. */
  async recordSuccess(user: UserEntity): Promise<void> {
    await this.users.clearLoginFailures(user.id);
  }

  private key(email: string): string {
    // The builder hashes the address, so Redis never holds what people typed.
    return redisKeys.lockoutCounter(email);
  }
}

function secondsUntil(until: Date | null): number {
  const ms = (until?.getTime() ?? 0) - Date.now();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}
