import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, QueryFailedError, Repository } from 'typeorm';

import { UserEntity } from '@dashtam/database';

import { AppError } from '../common/errors';
import { normalizeEmail } from './email';

const UNIQUE_VIOLATION = '23505';

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
}

/** Every query on users. Soft-deleted users are invisible here, as if they never existed. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  findById(id: string, manager?: EntityManager): Promise<UserEntity | null> {
    return (manager?.getRepository(UserEntity) ?? this.users).findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  /** Inserts a user; a taken email (any case) is a 409, also when two registrations race. */
  async create(user: NewUser, manager?: EntityManager): Promise<UserEntity> {
    const repository = manager ? manager.getRepository(UserEntity) : this.users;
    try {
      return await repository.save(repository.create({ ...user, email: normalizeEmail(user.email) }));
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new AppError('AUTH.EMAIL_TAKEN', 'An account with this email already exists', { cause: error });
      }
      throw error;
    }
  }

  async updateName(id: string, name: string): Promise<void> {
    await this.users.update({ id }, { name });
  }

  async updatePasswordHash(id: string, passwordHash: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.users.manager).update(UserEntity, { id }, { passwordHash });
  }

  /**
   * A completed password reset: the new hash, no lockout left, and the email verified (following the
   * emailed link proves control of the address; an earlier verification keeps its timestamp).
   */
  async resetPassword(id: string, passwordHash: string, manager: EntityManager): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(UserEntity)
      .set({
        passwordHash,
        failedLoginCount: 0,
        failedLoginsSince: null,
        lockedUntil: null,
        emailVerifiedAt: () => 'COALESCE(email_verified_at, now())',
      })
      .where('id = :id', { id })
      .execute();
  }

  /** Marks the email verified once; a second verification keeps the first timestamp. */
  async markEmailVerified(id: string, manager: EntityManager): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(UserEntity)
      .set({ emailVerifiedAt: () => 'now()' })
      .where('id = :id AND email_verified_at IS NULL', { id })
      .execute();
  }

  /**
   * Reserves one sign-in attempt before the password is checked, counting it as a failure until proven
   * otherwise. Row-locking makes concurrent attempts count one by one. Returns the attempt's number in the
   * current window, or null while the account is locked (nothing counted).
   */
  async reserveLoginAttempt(id: string, windowSeconds: number): Promise<number | null> {
    const [rows] = (await this.users.query(
      `UPDATE users SET
         failed_login_count = CASE WHEN failed_logins_since IS NULL
           OR failed_logins_since <= now() - make_interval(secs => $2) THEN 1 ELSE failed_login_count + 1 END,
         failed_logins_since = CASE WHEN failed_logins_since IS NULL
           OR failed_logins_since <= now() - make_interval(secs => $2) THEN now() ELSE failed_logins_since END
       WHERE id = $1 AND (locked_until IS NULL OR locked_until <= now())
       RETURNING failed_login_count`,
      [id, windowSeconds],
    )) as [Array<{ failed_login_count: number }>, number];
    return rows[0]?.failed_login_count ?? null;
  }

  /** Locks sign-in for `seconds` and starts the failure count afresh; returns when the lock ends. */
  async lockLogin(id: string, seconds: number): Promise<Date> {
    const [rows] = (await this.users.query(
      `UPDATE users SET locked_until = GREATEST(locked_until, now() + make_interval(secs => $2)),
              failed_login_count = 0, failed_logins_since = NULL
        WHERE id = $1
        RETURNING locked_until`,
      [id, seconds],
    )) as [Array<{ locked_until: Date }>, number];
    return rows[0]?.locked_until ?? new Date(Date.now() + seconds * 1000);
  }

  /** The end of the account's sign-in lock, null when it is not locked. */
  async loginLockedUntil(id: string): Promise<Date | null> {
    const row = await this.users.findOne({ where: { id }, select: { id: true, lockedUntil: true } });
    return row?.lockedUntil && row.lockedUntil.getTime() > Date.now() ? row.lockedUntil : null;
  }

  /** The right password was given: earlier failures (and the reserved attempt) no longer count. */
  async clearLoginFailures(id: string): Promise<void> {
    await this.users.update({ id }, { failedLoginCount: 0, failedLoginsSince: null });
  }

  /** A successful login: remember when, forget earlier failures. */
  async recordLogin(id: string): Promise<void> {
    await this.users.update(
      { id },
      { lastLoginAt: () => 'now()', failedLoginCount: 0, failedLoginsSince: null, lockedUntil: null },
    );
  }
}
