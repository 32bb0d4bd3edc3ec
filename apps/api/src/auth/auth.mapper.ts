import type { AuthSessionEntity, UserEntity } from '@dashtam/database';

import { toUserResponse } from '../users/user.mapper';
import type { SessionResponseDto } from './dto/session-response.dto';
import type { TokenResponseDto } from './dto/token-response.dto';
import type { IssuedTokens } from './sessions/sessions.service';

export function toTokenResponse(tokens: IssuedTokens, user: UserEntity): TokenResponseDto {
  return {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    token_type: 'Bearer',
    expires_in: tokens.expiresIn,
    user: toUserResponse(user),
  };
}

export function toSessionResponse(session: AuthSessionEntity, currentSessionId: string): SessionResponseDto {
  return {
    id: session.id,
    created_at: session.createdAt.toISOString(),
    last_used_at: session.lastUsedAt.toISOString(),
    user_agent: session.userAgent,
    ip_address: session.ipAddress,
    current: session.id === currentSessionId,
  };
}
