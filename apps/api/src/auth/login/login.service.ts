import { Inject, Injectable } from '@nestjs/common';

import { authConfig, type AuthConfig } from '@dashtam/config';
import type { UserEntity } from '@dashtam/database';

import type { ClientContext } from '../../common/decorators/client-context.decorator';
import { AppError } from '../../common/errors';
import { normalizeEmail } from '../../users/email';
import { UsersRepository } from '../../users/users.repository';
import { LoginLockoutService } from './login-lockout.service';
import { PasswordHasherService } from '../password/password-hasher.service';
import { SecurityEventsService } from '../security-events.service';
import { type IssuedTokens, SessionsService } from '../sessions/sessions.service';

const invalidCredentials = (): AppError =>
  new AppError('AUTH.INVALID_CREDENTIALS', 'The email or password is not correct');

const locked = (seconds: number): AppError =>
  new AppError('AUTH.ACCOUNT_LOCKED', 'Too many failed sign-in attempts; try again later', {
    headers: { 'retry-after': String(seconds) },
  });

/**
 * Sign-in. Unknown email and wrong password answer identically and cost the same argon2 work;
 * facts about an account (unverified, disabled) are only revealed to someone who knows its password.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasherService,
    private readonly lockout: LoginLockoutService,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
  ) {}

  async login(
    rawEmail: string,
    password: string,
    client: ClientContext,
  ): Promise<{ user: UserEntity; tokens: IssuedTokens }> {
    const email = normalizeEmail(rawEmail);
    const user = await this.users.findByEmail(email);
    // Reserved before any password work, so parallel guesses cannot outrun the lockout.
    const attempt = await this.lockout.reserve(email, user);
    if (attempt.lockedForSeconds > 0) {
      await this.failed(client, user, 'locked');
      throw locked(attempt.lockedForSeconds);
    }

    const matches = user
      ? await this.hasher.verify(user.passwordHash, password)
      : await this.hasher.verifyNothing(password);
    if (!user || !matches) {
      await this.failed(client, user, user ? 'wrong_password' : 'unknown_email');
      const lockedNow = await this.lockout.recordFailure(user, attempt);
      if (lockedNow > 0) {
        if (user)
          await this.events.record('account_locked', client, { userId: user.id, details: { seconds: lockedNow } });
        throw locked(lockedNow);
      }
      throw invalidCredentials();
    }
    await this.lockout.recordSuccess(user);

    if (!user.isActive) {
      await this.failed(client, user, 'disabled');
      throw new AppError('AUTH.ACCOUNT_DISABLED', 'This account is disabled');
    }
    if (this.auth.requireVerifiedEmail && user.emailVerifiedAt === null) {
      await this.failed(client, user, 'email_not_verified');
      throw new AppError('AUTH.EMAIL_NOT_VERIFIED', 'Verify your email address before signing in');
    }

    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.users.updatePasswordHash(user.id, await this.hasher.hash(password));
    }
    await this.users.recordLogin(user.id);
    const tokens = await this.sessions.start(user, client);
    const fresh = (await this.users.findById(user.id))!;
    return { user: fresh, tokens };
  }

  private failed(client: ClientContext, user: UserEntity | null, reason: string): Promise<void> {
    return this.events.record('login_failed', client, { userId: user?.id ?? null, details: { reason } });
  }
}
