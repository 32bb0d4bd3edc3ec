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

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
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

  /** Marks the email verified once; a second verification keeps the first timestamp. */
  async markEmailVerified(id: string, manager: EntityManager): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(UserEntity)
      .set({ emailVerifiedAt: () => 'now()' })
      .where('id = :id AND email_verified_at IS NULL', { id })
      .execute();
  }

  /** A successful login: remember when, forget earlier failures. */
  async recordLogin(id: string): Promise<void> {
    await this.users.update(
      { id },
      { lastLoginAt: () => 'now()', failedLoginCount: 0, failedLoginsSince: null, lockedUntil: null },
    );
  }
}
