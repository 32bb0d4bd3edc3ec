import { type DynamicModule, Module } from '@nestjs/common';

import { SimplefinControlsController } from './simplefin-controls.controller';
import { SimplefinController } from './simplefin.controller';

/** The Sandbox's SimpleFIN Bridge; its controls only when SANDBOX_CONTROLS is on. */
@Module({})
export class SimplefinModule {
  static forRoot(controls: boolean): DynamicModule {
    return {
      module: SimplefinModule,
      controllers: [SimplefinController, ...(controls ? [SimplefinControlsController] : [])],
    };
  }
}
