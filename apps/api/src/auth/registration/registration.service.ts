import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import { authConfig, type AuthConfig } from '@dashtam/config';
import { EmailVerificationTokenEntity, type UserEntity } from '@dashtam/database';

import type { ClientContext } from '../../common/decorators/client-context.decorator';
import { AppError } from '../../common/errors';
import { BackgroundTasksService } from '../../infra/background/background-tasks.service';
import { MailService } from '../../infra/mail/mail.service';
import { normalizeEmail } from '../../users/email';
import { UsersRepository } from '../../users/users.repository';
import { OneTimeTokensService } from '../tokens/one-time-tokens.service';
import { PasswordHasherService } from '../password/password-hasher.service';
import { assertPasswordPolicy } from '../password/password-policy';
import { SecurityEventsService } from '../security-events.service';

/** Registration and email verification (single-use tokens, AUTH_EMAIL_VERIFICATION_TTL_SECONDS). */
@Injectable()
export class RegistrationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasherService,
    private readonly tokens: OneTimeTokensService,
    private readonly mail: MailService,
    private readonly background: BackgroundTasksService,
    private readonly events: SecurityEventsService,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
  ) {}

  async register(input: { email: string; password: string; name: string }, client: ClientContext): Promise<UserEntity> {
    const email = normalizeEmail(input.email);
    assertPasswordPolicy(input.password, email);
    const passwordHash = await this.hasher.hash(input.password);
    const { user, token } = await this.dataSource.transaction(async (manager) => {
      const created = await this.users.create({ email, name: input.name, passwordHash }, manager);
      const secret = await this.tokens.reissue(
        EmailVerificationTokenEntity,
        created.id,
        this.auth.emailVerificationTtlSeconds,
        manager,
      );
      await this.events.record('user_registered', client, { userId: created.id }, manager);
      return { user: created, token: secret };
    });
    this.mail.sendVerification(user, token);
    return user;
  }

  async verifyEmail(token: string, client: ClientContext): Promise<UserEntity> {
    const userId = await this.dataSource.transaction(async (manager) => {
      const owner = await this.tokens.consume(EmailVerificationTokenEntity, token, manager);
      if (owner) {
        await this.users.markEmailVerified(owner, manager);
        await this.events.record('email_verified', client, { userId: owner }, manager);
      }
      return owner;
    });
    const user = userId ? await this.users.findById(userId) : null;
    if (!user) {
      throw new AppError('AUTH.VERIFICATION_TOKEN_INVALID', 'The verification link is invalid, used or expired');
    }
    return user;
  }

  /** A new link for an unverified account; says nothing either way (the caller always answers 202). */
  /**
   * Answers at once and does the per-account work afterwards, so a known and an unknown address cost the
   * request the same time (no enumeration by timing).
   */
  resendVerification(rawEmail: string): void {
    this.background.run('verification-email', async () => {
      const user = await this.users.findByEmail(rawEmail);
      if (!user || !user.isActive || user.emailVerifiedAt !== null) return;
      const token = await this.dataSource.transaction((manager) =>
        this.tokens.reissue(EmailVerificationTokenEntity, user.id, this.auth.emailVerificationTtlSeconds, manager),
      );
      this.mail.sendVerification(user, token);
    });
  }
}
