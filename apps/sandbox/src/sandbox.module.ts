import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import { appConfig, type AppConfig, DashtamConfigModule } from '@dashtam/config';
import { LivenessController, loggerParams } from '@dashtam/platform';

/** Schwab-compatible fake institution: OAuth2 server and Trader-API-shaped data. */
@Module({
  imports: [
    DashtamConfigModule,
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: AppConfig) => loggerParams(app, 'sandbox'),
    }),
  ],
  controllers: [LivenessController],
})
export class SandboxModule {}
