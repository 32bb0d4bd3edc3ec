import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import { appConfig, type AppConfig, DashtamConfigModule } from '@dashtam/config';
import { LivenessController, loggerParams } from '@dashtam/platform';

import { ApiCallbackClient } from './api-callback.client';
import { CallbackController } from './callback.controller';

/** The OAuth redirect target registered with institutions (HTTPS :8182). */
@Module({
  imports: [
    DashtamConfigModule,
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: AppConfig) => loggerParams(app, 'callback'),
    }),
  ],
  controllers: [LivenessController, CallbackController],
  providers: [ApiCallbackClient],
})
export class CallbackModule {}
