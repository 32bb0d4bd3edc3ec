import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { requestIdOf } from '../http/request-id';

/** What audit trails record about a request: never a credential. */
export interface ClientContext {
  ipAddress: string | null;
  userAgent: string | null;
  requestId: string | null;
}

const USER_AGENT_MAX = 512;

export function clientContextOf(request: FastifyRequest): ClientContext {
  const userAgent = request.headers['user-agent'];
  return {
    // Fastify resolves X-Forwarded-For only for TRUST_PROXY proxies.
    ipAddress: request.ip ?? null,
    userAgent: typeof userAgent === 'string' && userAgent !== '' ? userAgent.slice(0, USER_AGENT_MAX) : null,
    requestId: requestIdOf(request),
  };
}

/** The caller's address, user agent and request id, for sessions and audit rows. */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientContext =>
  clientContextOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
