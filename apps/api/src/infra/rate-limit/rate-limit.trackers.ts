import type { FastifyRequest } from 'fastify';

import type { AuthUser } from '../../common/decorators/current-user.decorator';

type TrackedRequest = FastifyRequest & { user?: AuthUser };

/** The client address as Fastify resolved it: X-Forwarded-For counts only from TRUST_PROXY proxies. */
export function ipTracker(request: TrackedRequest): string {
  return request.ip;
}

/**
 * The account a request is about: the email in its body (login, register, reset and verification
 * requests) or the signed-in user. Null when there is none; that throttler then does not apply.
 */
export function accountTracker(request: TrackedRequest): string | null {
  const body = request.body as { email?: unknown } | undefined;
  if (typeof body?.email === 'string' && body.email.trim() !== '') return `email:${body.email.trim().toLowerCase()}`;
  return request.user ? `user:${request.user.id}` : null;
}
