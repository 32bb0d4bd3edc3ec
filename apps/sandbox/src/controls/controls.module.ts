import { Module } from '@nestjs/common';

import { ControlsController } from './controls.controller';

/** `/__sandbox/*`: imported only when controls are enabled. */
@Module({ controllers: [ControlsController] })
export class ControlsModule {}
