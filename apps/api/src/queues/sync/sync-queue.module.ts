import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';

import { SyncDispatcher } from '../../syncs/sync-dispatcher';
import { SyncEngineModule } from '../../syncs/sync-engine.module';
import { SyncQueueService } from './sync-queue.service';
import { SYNC_QUEUE } from './sync.jobs';
import { SyncProcessor } from './sync.processor';

/**
 * Syncs on the job engine: the queue, its worker, and the app's SyncDispatcher (global, so the sync
 * engine and the features that launch syncs find it whichever way the app was started).
 */
@Global()
@Module({
  imports: [BullModule.registerQueue({ name: SYNC_QUEUE }), SyncEngineModule],
  providers: [SyncQueueService, SyncProcessor, { provide: SyncDispatcher, useExisting: SyncQueueService }],
  exports: [SyncDispatcher],
})
export class SyncQueueModule {}
