import { Module } from '@nestjs/common';

import { CryptoModule } from '@dashtam/crypto';
import { ProvidersModule as InstitutionsModule } from '@dashtam/providers';

import { REDIS_CLIENT } from '../infra/redis/redis.tokens';
import { CallbackSecretGuard } from './callback-secret.guard';
import { OAuthCallbacksController } from './oauth-callbacks.controller';
import { ProviderAuthorizationController } from './provider-authorization.controller';
import { ProviderConnectionService } from './provider-connection.service';
import { ProviderLinkingService } from './provider-linking.service';
import { ProviderTypesController } from './provider-types.controller';
import { ProvidersController } from './providers.controller';
import { ProvidersRepository } from './providers.repository';
import { ProvidersService } from './providers.service';
import { TokenRefreshModule } from './token-refresh/token-refresh.module';

/**
 * The HTTP surface of linked institutions: catalog, providers, the OAuth flow and its callback, token
 * status/refresh/disconnect and the audit trail. Institutions, OAuth state and the token vault come
 * from @dashtam/providers.
 */
@Module({
  imports: [InstitutionsModule.forRoot({ redis: REDIS_CLIENT }), CryptoModule, TokenRefreshModule],
  controllers: [
    ProviderTypesController,
    ProvidersController,
    ProviderAuthorizationController,
    OAuthCallbacksController,
  ],
  providers: [
    ProvidersRepository,
    ProvidersService,
    ProviderConnectionService,
    ProviderLinkingService,
    CallbackSecretGuard,
  ],
})
export class ProvidersModule {}
