import { createParamDecorator, type ExecutionContext, InternalServerErrorException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who is calling: set by the global access-token guard on every non-public route. No PII. */
export interface AuthUser {
  id: string;
  sessionId: string;
}

export type AuthenticatedRequest = FastifyRequest & { user?: AuthUser };

/**
 * The signed-in caller. Scope every query for user data by `user.id`; another user's resource
 * answers 404. Only valid on routes the guard protects (not `@Public()` ones).
 */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  // A @Public() route asking for the caller is a programming error, not a client one.
  if (!user) throw new InternalServerErrorException('CurrentUser used on a route without authentication');
  return user;
});
