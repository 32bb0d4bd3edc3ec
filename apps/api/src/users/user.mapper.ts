import type { UserEntity } from '@dashtam/database';

import type { UserResponseDto } from './dto/user-response.dto';

/** Entity → wire, field by field: nothing reaches a client unless it is listed here. */
export function toUserResponse(user: UserEntity): UserResponseDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    email_verified: user.emailVerifiedAt !== null,
    is_active: user.isActive,
    created_at: user.createdAt.toISOString(),
    last_login_at: user.lastLoginAt ? user.lastLoginAt.toISOString() : null,
  };
}
