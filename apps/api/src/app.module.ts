import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import { appConfig, type AppConfig, DashtamConfigModule } from '@dashtam/config';
import { DatabaseModule } from '@dashtam/database';
import { loggerParams } from '@dashtam/platform';
import { TokenKeyCheckModule } from '@dashtam/providers';

import { AppController } from './app.controller';
import { AuthModule } from './auth/auth.module';
import { AppCacheModule } from './infra/cache/app-cache.module';
import { HealthModule } from './health/health.module';
import { ProvidersModule } from './providers/providers.module';
import { RedisModule } from './infra/redis/redis.module';

@Module({
  imports: [
    DashtamConfigModule,
    LoggerModule.forRootAsync({ inject: [appConfig.KEY], useFactory: (app: AppConfig) => loggerParams(app, 'api') }),
    DatabaseModule,
    TokenKeyCheckModule,
    RedisModule,
    AppCacheModule,
    HealthModule,
    AuthModule,
    ProvidersModule,
  ],
  controllers: [AppController],
})
export class AppModule {}
