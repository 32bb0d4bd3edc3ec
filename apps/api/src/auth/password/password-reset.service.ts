import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import { authConfig, type AuthConfig } from '@dashtam/config';
import { PasswordResetTokenEntity } from '@dashtam/database';

import type { ClientContext } from '../../common/decorators/client-context.decorator';
import { AppError } from '../../common/errors';
import { BackgroundTasksService } from '../../infra/background/background-tasks.service';
import { MailService } from '../../infra/mail/mail.service';
import { UsersRepository } from '../../users/users.repository';
import { OneTimeTokensService } from '../tokens/one-time-tokens.service';
import { PasswordHasherService } from './password-hasher.service';
import { assertPasswordPolicy } from './password-policy';
import { SecurityEventsService } from '../security-events.service';
import { SessionsService } from '../sessions/sessions.service';

const invalidToken = (): AppError =>
  new AppError('AUTH.RESET_TOKEN_INVALID', 'The reset link is invalid, used or expired');

/**
 * Forgotten passwords: single-use tokens (AUTH_PASSWORD_RESET_TTL_SECONDS, 15 minutes by default),
 * a new request retires older ones, completing ends every session. Requests answer the same for
 * unknown emails.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasherService,
    private readonly tokens: OneTimeTokensService,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
    private readonly background: BackgroundTasksService,
    private readonly events: SecurityEventsService,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
  ) {}

  /**
   * Answers at once and does the per-account work afterwards, so a known and an unknown address cost the
   * request the same time (no enumeration by timing).
   */
  request(rawEmail: string, client: ClientContext): void {
    this.background.run('password-reset', async () => {
      const user = await this.users.findByEmail(rawEmail);
      if (!user || !user.isActive) return;
      const token = await this.dataSource.transaction(async (manager) => {
        const secret = await this.tokens.reissue(
          PasswordResetTokenEntity,
          user.id,
          this.auth.passwordResetTtlSeconds,
          manager,
        );
        await this.events.record('password_reset_requested', client, { userId: user.id }, manager);
        return secret;
      });
      this.mail.sendPasswordReset(user, token);
    });
  }

  async check(token: string): Promise<{ valid: boolean; expiresAt: Date | null }> {
    const usable = await this.tokens.usableUntil(PasswordResetTokenEntity, token);
    return usable ? { valid: true, expiresAt: usable.expiresAt } : { valid: false, expiresAt: null };
  }

  async complete(token: string, newPassword: string, client: ClientContext): Promise<void> {
    const usable = await this.tokens.usableUntil(PasswordResetTokenEntity, token);
    const user = usable ? await this.users.findById(usable.userId) : null;
    if (!user || !user.isActive) throw invalidToken();
    // Policy before consuming, so a refused password leaves the link usable for a second try.
    assertPasswordPolicy(newPassword, user.email, 'new_password');
    const passwordHash = await this.hasher.hash(newPassword);
    const revoked = await this.dataSource.transaction(async (manager) => {
      if ((await this.tokens.consume(PasswordResetTokenEntity, token, manager)) !== user.id) throw invalidToken();
      await this.users.resetPassword(user.id, passwordHash, manager);
      const ended = await this.sessions.revokeAllOf(user.id, 'password_reset', manager);
      await this.events.record(
        'password_reset_completed',
        client,
        { userId: user.id, details: { sessions_revoked: ended.length } },
        manager,
      );
      return ended;
    });
    await this.sessions.forget(revoked);
  }
}
