import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import { appConfig, type AppConfig, DashtamConfigModule } from '@dashtam/config';
import { LivenessController, loggerParams } from '@dashtam/platform';

/** The OAuth redirect target registered with institutions (HTTPS :8182). */
@Module({
  imports: [
    DashtamConfigModule,
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: AppConfig) => loggerParams(app, 'callback'),
    }),
  ],
  controllers: [LivenessController],
})
export class CallbackModule {}
