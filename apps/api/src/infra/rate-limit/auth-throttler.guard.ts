import { Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { ExecutionContext } from '@nestjs/common';

import { AppError } from '../../common/errors';

/**
 * The throttler guard for abuse-prone auth routes (login, register, reset, verification): one
 * shared limit per client address and one per account. A refusal is the standard problem+json 429
 * with a plain `Retry-After` (the stock guard would name it per throttler).
 */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new AppError('RATE_LIMITED', 'Too many requests; retry later', {
      headers: { 'retry-after': String(Math.max(1, detail.timeToBlockExpire)) },
    });
  }
}
