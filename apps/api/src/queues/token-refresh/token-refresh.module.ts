import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';

import { TokenRefreshProcessor } from './token-refresh.processor';
import { TOKEN_REFRESH_QUEUE } from './token-refresh.jobs';
import { TokenRefreshQueueService } from './token-refresh.service';

/**
 * Proactive token refresh: a BullMQ job scheduler scans for tokens inside the lead time and the
 * workers of every instance refresh them through the one TokenRefreshService of the global
 * InstitutionsModule (the same instance, and in-process single flight, as the HTTP refresh path).
 */
@Module({
  imports: [BullModule.registerQueue({ name: TOKEN_REFRESH_QUEUE })],
  providers: [TokenRefreshQueueService, TokenRefreshProcessor],
})
export class TokenRefreshQueueModule {}
