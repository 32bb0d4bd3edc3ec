import { Module } from '@nestjs/common';

import { ProvidersModule as InstitutionsModule } from '@dashtam/providers';

import { REDIS_CLIENT } from '../../infra/redis/redis.tokens';
import { TokenRefreshProcessor } from './token-refresh.processor';
import { TokenRefreshScheduler } from './token-refresh.scheduler';

/**
 * Proactive token refresh: a BullMQ job scheduler scans for tokens inside the lead time and workers
 * in every instance refresh them through the token vault. The same forRoot options as the providers
 * feature module, so Nest shares one TokenRefreshService (and its in-process single flight).
 */
@Module({
  imports: [InstitutionsModule.forRoot({ redis: REDIS_CLIENT })],
  providers: [TokenRefreshProcessor, TokenRefreshScheduler],
})
export class TokenRefreshModule {}
