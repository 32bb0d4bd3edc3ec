import { createHash, timingSafeEqual } from 'node:crypto';

import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { callbackConfig, type CallbackConfig } from '@dashtam/config';

import { AppError } from '../common/errors';

export const CALLBACK_SECRET_HEADER = 'x-callback-secret';

// Digests make the comparison constant-time whatever the presented length.
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Only the callback app may deliver OAuth callbacks: it proves itself with the shared secret. Runs
 * as a guard, before validation and before anything reads or consumes a state.
 */
@Injectable()
export class CallbackSecretGuard implements CanActivate {
  constructor(@Inject(callbackConfig.KEY) private readonly config: CallbackConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const presented = context.switchToHttp().getRequest<FastifyRequest>().headers[CALLBACK_SECRET_HEADER];
    if (typeof presented !== 'string' || !timingSafeEqual(digest(presented), digest(this.config.secret))) {
      throw new AppError('OAUTH.CALLBACK_UNAUTHORIZED', 'Only the callback app may deliver OAuth callbacks');
    }
    return true;
  }
}
