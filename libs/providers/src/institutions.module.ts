import { type DynamicModule, type InjectionToken, Logger, Module } from '@nestjs/common';
import type Redis from 'ioredis';

import { CryptoModule } from '@dashtam/crypto';

import { ProviderConnectionsRepository } from './connections/provider-connections.repository';
import { MemoryOAuthStateBackend, RedisOAuthStateBackend } from './oauth/oauth-state.backend';
import { OAuthStateStore } from './oauth/oauth-state.store';
import { ProviderRegistry } from './provider-registry';
import { PendingRefreshes } from './tokens/pending-refreshes';
import { PendingTokenSlots } from './tokens/pending-token-slots';
import { TokenRefreshService } from './tokens/token-refresh.service';
import { TokenVaultService } from './tokens/token-vault.service';

export interface InstitutionsModuleOptions {
  /**
   * DI token of the app's ioredis client. Its value may be null only in development without Redis
   * (configuration refuses that in production): OAuth states then live in this process's memory, and
   * refresh results waiting for the database only there.
   */
  redis: InjectionToken;
}

/**
 * Institutions (catalog, registry, clients), one-time OAuth state and the token vault. Needs a global
 * TypeORM DataSource and DashtamConfigModule; brings its own TokenCipherService.
 *
 * Global, and registered once per app (its root module): every feature, the HTTP refresh path and the
 * job worker alike, must share one TokenRefreshService (its in-process single flight), one registry and
 * one OAuth state store. A second forRoot() would build a second set.
 */
@Module({})
export class InstitutionsModule {
  static forRoot(options: InstitutionsModuleOptions): DynamicModule {
    return {
      module: InstitutionsModule,
      global: true,
      imports: [CryptoModule],
      providers: [
        ProviderConnectionsRepository,
        ProviderRegistry,
        TokenVaultService,
        TokenRefreshService,
        PendingRefreshes,
        {
          provide: PendingTokenSlots,
          inject: [options.redis],
          // Without Redis (development) a refresh result the database refuses is kept in this process only.
          useFactory: (redis: Redis | null) => new PendingTokenSlots(redis),
        },
        {
          provide: OAuthStateStore,
          inject: [options.redis],
          useFactory: (redis: Redis | null) => {
            if (redis) return new OAuthStateStore(new RedisOAuthStateBackend(redis));
            new Logger(InstitutionsModule.name).warn(
              'no Redis: OAuth states are kept in memory (single instance only)',
            );
            return new OAuthStateStore(new MemoryOAuthStateBackend());
          },
        },
      ],
      exports: [
        ProviderConnectionsRepository,
        ProviderRegistry,
        TokenVaultService,
        TokenRefreshService,
        OAuthStateStore,
      ],
    };
  }
}
