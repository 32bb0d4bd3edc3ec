import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';

import { SecurityEventEntity } from '@dashtam/database';

import { AccessTokenGuard } from '../common/guards/access-token.guard';
import { MailModule } from '../mail/mail.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { UsersModule } from '../users/users.module';
import { AccessTokenService } from './access-token.service';
import { AccountService } from './account.service';
import { AuthController } from './auth.controller';
import { LoginLockout } from './login-lockout.service';
import { LoginService } from './login.service';
import { MeController } from './me.controller';
import { OneTimeTokens } from './one-time-tokens.service';
import { PasswordHasher } from './password/password-hasher.service';
import { PasswordResetService } from './password-reset.service';
import { PasswordResetsController } from './password-resets.controller';
import { RegistrationService } from './registration.service';
import { SecurityEventsService } from './security-events.service';
import { SessionValidity } from './session-validity.service';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

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
    RateLimitModule,
  ],
  controllers: [AuthController, MeController, SessionsController, PasswordResetsController],
  providers: [
    AccessTokenService,
    AccountService,
    LoginLockout,
    LoginService,
    OneTimeTokens,
    PasswordHasher,
    PasswordResetService,
    RegistrationService,
    SecurityEventsService,
    SessionValidity,
    SessionsService,
    AccessTokenGuard,
    { provide: APP_GUARD, useExisting: AccessTokenGuard },
  ],
})
export class AuthModule {}
