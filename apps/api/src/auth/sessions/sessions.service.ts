import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

import { authConfig, type AuthConfig } from '@dashtam/config';
import type { AuthSessionEntity, SessionRevokeReason, UserEntity } from '@dashtam/database';

import type { ClientContext } from '../../common/decorators/client-context.decorator';
import { AppError } from '../../common/errors';
import { UsersRepository } from '../../users/users.repository';
import { AccessTokenService } from './access-token.service';
import { AuthSessionsRepository } from './auth-sessions.repository';
import { SecurityEventsService } from '../security-events.service';
import { SessionValidityService } from './session-validity.service';
import {
  formatRefreshToken,
  generateSecret,
  hashSecret,
  parseRefreshToken,
  secretMatches,
} from '../tokens/opaque-token';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  sessionId: string;
}

const invalidRefreshToken = (): AppError =>
  new AppError('AUTH.REFRESH_TOKEN_INVALID', 'The refresh token is not valid; sign in again');

/** Thrown inside the rotation transaction when another request used the token first. */
class LostRotationRace extends Error {}

/**
 * Sessions and their rotating refresh tokens. Every refresh retires the presented token and issues a
 * new one; presenting a retired token again means it was copied, so the whole session ends (only
 * that session: the user's other devices are not punished for one leak).
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
    private readonly repository: AuthSessionsRepository,
    private readonly users: UsersRepository,
    private readonly accessTokens: AccessTokenService,
    private readonly validity: SessionValidityService,
    private readonly events: SecurityEventsService,
  ) {}

  /** A new session for a user who just proved who they are. */
  async start(user: UserEntity, client: ClientContext): Promise<IssuedTokens> {
    return this.dataSource.transaction(async (manager) => {
      const session = await this.repository.create(
        { userId: user.id, expiresAt: this.refreshExpiry(), client },
        manager,
      );
      const refreshToken = await this.issueRefreshToken(session.id, manager);
      await this.events.record('login_succeeded', client, { userId: user.id, sessionId: session.id }, manager);
      return this.tokens(user.id, session.id, refreshToken);
    });
  }

  /** Refresh: retire the presented token, issue its successor. Reuse of a retired one ends the session. */
  async rotate(presented: string, client: ClientContext): Promise<{ tokens: IssuedTokens; user: UserEntity }> {
    const parsed = parseRefreshToken(presented);
    if (!parsed) throw invalidRefreshToken();
    const row = await this.repository.findRefreshToken(parsed.id);
    if (!row || !row.session || !secretMatches(parsed.secret, row.tokenHash)) throw invalidRefreshToken();
    const session = row.session;
    if (session.revokedAt) throw invalidRefreshToken();
    if (row.usedAt) return this.reuseDetected(session, client);
    if (row.expiresAt.getTime() <= Date.now() || session.expiresAt.getTime() <= Date.now()) {
      throw invalidRefreshToken();
    }
    try {
      return await this.dataSource.transaction(async (manager) => {
        if (!(await this.repository.claimRefreshToken(row.id, manager))) throw new LostRotationRace();
        const renewed = await this.repository.renew(session.id, session.userId, this.refreshExpiry(), client, manager);
        // Revoked meanwhile, or the account was disabled: nothing to renew.
        if (!renewed) throw invalidRefreshToken();
        const user = await this.users.findById(session.userId, manager);
        if (!user) throw invalidRefreshToken();
        const refreshToken = await this.issueRefreshToken(session.id, manager);
        return { tokens: await this.tokens(session.userId, session.id, refreshToken), user };
      });
    } catch (error) {
      // Two requests with the same token: the loser holds a copy that is now retired — that is reuse.
      if (error instanceof LostRotationRace) return this.reuseDetected(session, client);
      throw error;
    }
  }

  /** Ends the session the refresh token belongs to, if it is the caller's; anything else changes nothing. */
  async logout(userId: string, presented: string, client: ClientContext): Promise<void> {
    const parsed = parseRefreshToken(presented);
    if (!parsed) return;
    const row = await this.repository.findRefreshToken(parsed.id);
    if (!row?.session || row.session.userId !== userId || !secretMatches(parsed.secret, row.tokenHash)) return;
    if (await this.revokeOne(row.session.id, 'logout')) {
      await this.events.record('logout', client, { userId, sessionId: row.session.id });
    }
  }

  /** The user's live sessions, most recently used first. */
  listLive(userId: string): Promise<AuthSessionEntity[]> {
    return this.repository.listLive(userId);
  }

  /** Revokes one of the caller's live sessions; someone else's or an unknown one is a 404. */
  async revokeOwn(userId: string, sessionId: string, client: ClientContext): Promise<void> {
    if (!(await this.revokeOne(sessionId, 'revoked', userId))) {
      throw new AppError('AUTH.SESSION_NOT_FOUND', 'No such session');
    }
    await this.events.record('session_revoked', client, { userId, sessionId, details: { reason: 'revoked' } });
  }

  /**
   * Revokes every live session of a user (but `except`), inside the caller's transaction. Call
   * `forget` with the result after commit so cached validity goes too.
   */
  async revokeAllOf(
    userId: string,
    reason: SessionRevokeReason,
    manager: EntityManager,
    except?: string,
  ): Promise<string[]> {
    return this.repository.revokeAllOf(userId, reason, manager, except);
  }

  forget(sessionIds: string[]): Promise<void> {
    return this.validity.forget(sessionIds);
  }

  private async reuseDetected(session: AuthSessionEntity, client: ClientContext): Promise<never> {
    await this.revokeOne(session.id, 'refresh_reuse');
    await this.events.record('refresh_token_reused', client, { userId: session.userId, sessionId: session.id });
    throw new AppError('AUTH.REFRESH_TOKEN_REUSED', 'This refresh token was already used; the session has ended');
  }

  private async revokeOne(sessionId: string, reason: SessionRevokeReason, ownerId?: string): Promise<boolean> {
    const revoked = await this.repository.revokeOne(sessionId, reason, ownerId);
    if (revoked) await this.validity.forget([sessionId]);
    return revoked;
  }

  private async issueRefreshToken(sessionId: string, manager: EntityManager): Promise<string> {
    const id = randomUUID();
    const secret = generateSecret();
    await this.repository.insertRefreshToken(
      { id, sessionId, tokenHash: hashSecret(secret), expiresAt: this.refreshExpiry() },
      manager,
    );
    return formatRefreshToken(id, secret);
  }

  private async tokens(userId: string, sessionId: string, refreshToken: string): Promise<IssuedTokens> {
    return {
      accessToken: await this.accessTokens.sign(userId, sessionId),
      refreshToken,
      expiresIn: this.accessTokens.ttlSeconds,
      sessionId,
    };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.auth.refreshTokenTtlSeconds * 1000);
  }
}
