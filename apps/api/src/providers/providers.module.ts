import { Module } from '@nestjs/common';

import { CryptoModule } from '@dashtam/crypto';

import { RateLimitModule } from '../infra/rate-limit/rate-limit.module';
import { SyncEngineModule } from '../syncs/sync-engine.module';
import { UsersModule } from '../users/users.module';
import { CallbackSecretGuard } from './callback-secret.guard';
import { ClaimedCredentialSlots } from './claimed-credential-slots';
import { CredentialLinkLocks } from './credential-link-locks';
import { OAuthCallbacksController, OAuthCompletionsController } from './oauth-callbacks.controller';
import { ProviderAuthorizationController } from './provider-authorization.controller';
import { ProviderConnectionService } from './provider-connection.service';
import { ProviderCredentialsController } from './provider-credentials.controller';
import { ProviderCredentialsService } from './provider-credentials.service';
import { ProviderLinkingService } from './provider-linking.service';
import { ProviderTypesController } from './provider-types.controller';
import { ProvidersController } from './providers.controller';
import { ProvidersRepository } from './providers.repository';
import { ProvidersService } from './providers.service';

/**
 * The HTTP surface of linked institutions: catalog, providers, the OAuth flow and its callback, token
 * status/refresh/disconnect and the audit trail. Institutions, OAuth state and the token vault come
 * from @dashtam/providers (the global InstitutionsModule that AppModule registers once).
 */
@Module({
  imports: [CryptoModule, RateLimitModule, UsersModule, SyncEngineModule],
  controllers: [
    ProviderTypesController,
    ProvidersController,
    ProviderAuthorizationController,
    ProviderCredentialsController,
    OAuthCallbacksController,
    OAuthCompletionsController,
  ],
  providers: [
    ProvidersRepository,
    ProvidersService,
    ProviderConnectionService,
    ProviderLinkingService,
    ProviderCredentialsService,
    ClaimedCredentialSlots,
    CredentialLinkLocks,
    CallbackSecretGuard,
  ],
  exports: [ProvidersService],
})
export class ProvidersModule {}
