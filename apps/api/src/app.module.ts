import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import { appConfig, type AppConfig, type DashtamConfig, DashtamConfigModule } from '@dashtam/config';
import { DatabaseModule } from '@dashtam/database';
import { loggerParams } from '@dashtam/platform';
import { InstitutionsModule, TokenKeyCheckModule } from '@dashtam/providers';

import { AccountsModule } from './accounts/accounts.module';
import { AppController } from './app.controller';
import { AuthModule } from './auth/auth.module';
import { AppCacheModule } from './infra/cache/app-cache.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { ProvidersModule } from './providers/providers.module';
import { RedisModule } from './infra/redis/redis.module';
import { REDIS_CLIENT } from './infra/redis/redis.tokens';
import { PortfolioModule } from './portfolio/portfolio.module';
import { QueuesModule } from './queues/queues.module';
import { InProcessSyncModule } from './syncs/in-process-sync.module';
import { SyncsModule } from './syncs/syncs.module';
import { TransactionsModule } from './transactions/transactions.module';

@Module({
  imports: [
    DashtamConfigModule,
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      // Fastify makes the request loggers (createAdapter): deferred where request lines do not print.
      useFactory: (app: AppConfig) => loggerParams(app, 'api', { deferRequestLoggers: true }),
    }),
    DatabaseModule,
    TokenKeyCheckModule,
    RedisModule,
    AppCacheModule,
    // Global, once: the HTTP refresh path and the job workers share one token refresher, registry and OAuth state store.
    InstitutionsModule.forRoot({ redis: REDIS_CLIENT }),
    HealthModule,
    AuthModule,
    ProvidersModule,
    AccountsModule,
    TransactionsModule,
    SyncsModule,
    PortfolioModule,
    ImportsModule,
  ],
  controllers: [AppController],
})
export class AppModule {
  /**
   * The api as one process runs it. Which modules exist is decided here, from the validated config the
   * process (or a test) starts with: without Redis no queue is registered and nothing dials one, and
   * syncs run in this process.
   */
  static forRoot(config: Pick<DashtamConfig, 'redis'>): DynamicModule {
    const url = config.redis.url;
    return { module: AppModule, imports: [QueuesModule.forRoot(url), ...(url ? [] : [InProcessSyncModule])] };
  }
}
