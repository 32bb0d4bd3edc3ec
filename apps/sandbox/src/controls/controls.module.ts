import { Module } from '@nestjs/common';

import { AlpacaControlsController } from '../alpaca/alpaca-controls.controller';
import { ControlsController } from './controls.controller';

/** `/__sandbox/*`: imported only when controls are enabled. */
@Module({ controllers: [ControlsController, AlpacaControlsController] })
export class ControlsModule {}
