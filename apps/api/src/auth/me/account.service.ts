import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import type { AuthUser } from '../../common/decorators/current-user.decorator';
import type { ClientContext } from '../../common/decorators/client-context.decorator';
import { AppError } from '../../common/errors';
import { UsersRepository } from '../../users/users.repository';
import { PasswordHasherService } from '../password/password-hasher.service';
import { assertPasswordPolicy } from '../password/password-policy';
import { SecurityEventsService } from '../security-events.service';
import { SessionsService } from '../sessions/sessions.service';

/** The signed-in user's own password. */
@Injectable()
export class AccountService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasherService,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
  ) {}

  /** Needs the current password; ends every other session, keeps the one that asked. */
  async changePassword(
    caller: AuthUser,
    currentPassword: string,
    newPassword: string,
    client: ClientContext,
  ): Promise<void> {
    const user = await this.users.findById(caller.id);
    if (!user || !(await this.hasher.verify(user.passwordHash, currentPassword))) {
      throw new AppError('AUTH.CURRENT_PASSWORD_INVALID', 'The current password is not correct');
    }
    assertPasswordPolicy(newPassword, user.email, 'new_password');
    const passwordHash = await this.hasher.hash(newPassword);
    const revoked = await this.dataSource.transaction(async (manager) => {
      await this.users.updatePasswordHash(user.id, passwordHash, manager);
      const ended = await this.sessions.revokeAllOf(user.id, 'password_changed', manager, caller.sessionId);
      await this.events.record(
        'password_changed',
        client,
        { userId: user.id, sessionId: caller.sessionId, details: { sessions_revoked: ended.length } },
        manager,
      );
      return ended;
    });
    await this.sessions.forget(revoked);
  }
}
