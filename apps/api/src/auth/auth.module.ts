import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';

import { SecurityEventEntity } from '@dashtam/database';

import { AccessTokenGuard } from './sessions/access-token.guard';
import { BackgroundModule } from '../infra/background/background.module';
import { MailModule } from '../infra/mail/mail.module';
import { RateLimitModule } from '../infra/rate-limit/rate-limit.module';
import { UsersModule } from '../users/users.module';
import { LoginController } from './login/login.controller';
import { RegistrationController } from './registration/registration.controller';
import { AccessTokenService } from './sessions/access-token.service';
import { AccountService } from './me/account.service';
import { LoginLockoutService } from './login/login-lockout.service';
import { LoginService } from './login/login.service';
import { MeController } from './me/me.controller';
import { OneTimeTokensService } from './tokens/one-time-tokens.service';
import { PasswordHasherService } from './password/password-hasher.service';
import { PasswordResetService } from './password/password-reset.service';
import { PasswordResetsController } from './password/password-resets.controller';
import { RegistrationService } from './registration/registration.service';
import { SecurityEventsService } from './security-events.service';
import { AuthSessionsRepository } from './sessions/auth-sessions.repository';
import { SessionValidityService } from './sessions/session-validity.service';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsService } from './sessions/sessions.service';

/**
 * Accounts, sessions and the deny-by-default guard. The guard is registered with `useExisting` so a
 * test can override AccessTokenGuard like any provider.
 */
@Module({
  imports: [
    // Secrets and options are passed per call from validated config (AccessTokenService).
    JwtModule.register({}),
    TypeOrmModule.forFeature([SecurityEventEntity]),
    UsersModule,
    MailModule,
    BackgroundModule,
    RateLimitModule,
  ],
  controllers: [RegistrationController, LoginController, MeController, SessionsController, PasswordResetsController],
  providers: [
    AccessTokenService,
    AccountService,
    LoginLockoutService,
    LoginService,
    OneTimeTokensService,
    PasswordHasherService,
    PasswordResetService,
    RegistrationService,
    SecurityEventsService,
    AuthSessionsRepository,
    SessionValidityService,
    SessionsService,
    AccessTokenGuard,
    { provide: APP_GUARD, useExisting: AccessTokenGuard },
  ],
})
export class AuthModule {}
