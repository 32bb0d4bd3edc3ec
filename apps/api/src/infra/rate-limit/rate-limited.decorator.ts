import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';

import { AuthThrottlerGuard } from './auth-throttler.guard';

/** Per-address and per-account limits (AUTH_RATE_LIMIT_*) on this route; 429 with Retry-After past them. */
export const RateLimited = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(AuthThrottlerGuard),
    ApiTooManyRequestsResponse({
      description: 'Rate limited (per address and per account); see the Retry-After header',
      headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
    }),
  );
