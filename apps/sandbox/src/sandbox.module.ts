import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';

import { appConfig, type AppConfig, DashtamConfigModule } from '@dashtam/config';
import { LivenessController, loggerParams } from '@dashtam/platform';

import { AlpacaModule } from './alpaca/alpaca.module';
import { ControlsModule } from './controls/controls.module';
import { SandboxExceptionFilter } from './errors/sandbox-exception.filter';
import { FaultInterceptor } from './faults/fault.interceptor';
import { OAuthModule } from './oauth/oauth.module';
import type { SandboxOptions } from './sandbox-options';
import { SandboxCoreModule } from './sandbox-core.module';
import { SimplefinModule } from './simplefin/simplefin.module';
import { TraderModule } from './trader/trader.module';

/** Fake institutions: Schwab (OAuth2 server and Trader-API-shaped data) and Alpaca (Trading API v2 with key pairs). */
@Module({})
export class SandboxModule {
  static forRoot(options: SandboxOptions): DynamicModule {
    return {
      module: SandboxModule,
      imports: [
        DashtamConfigModule,
        LoggerModule.forRootAsync({
          inject: [appConfig.KEY],
          useFactory: (app: AppConfig) => loggerParams(app, 'sandbox'),
        }),
        SandboxCoreModule.forRoot(options),
        OAuthModule,
        TraderModule,
        AlpacaModule,
        SimplefinModule.forRoot(options.controls),
        ...(options.controls ? [ControlsModule] : []),
      ],
      controllers: [LivenessController],
      providers: [
        { provide: APP_INTERCEPTOR, useClass: FaultInterceptor },
        { provide: APP_FILTER, useClass: SandboxExceptionFilter },
      ],
    };
  }
}
