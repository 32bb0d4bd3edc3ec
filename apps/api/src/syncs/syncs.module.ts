import { Module } from '@nestjs/common';

import { ProvidersModule } from '../providers/providers.module';
import { SyncEngineModule } from './sync-engine.module';
import { SyncsController } from './syncs.controller';
import { SyncsService } from './syncs.service';

/** The HTTP surface of syncs; the engine that runs them is SyncEngineModule. */
@Module({
  imports: [ProvidersModule, SyncEngineModule],
  controllers: [SyncsController],
  providers: [SyncsService],
})
export class SyncsModule {}
