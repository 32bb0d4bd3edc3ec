import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { TokenCipherService } from '@dashtam/crypto';

import { type AuditContext, writeProviderAudit } from '../audit/provider-audit.writer';
import { ProviderConnectionsRepository } from '../connections/provider-connections.repository';
import type { TokenSet } from '../provider-client';
import { ProviderRegistry } from '../provider-registry';
import { ConnectionNotFoundError } from './token.errors';
import type { TokenStatus } from './token-row';
import { sealTokens } from './token-sealing';

export interface StoreAuthorizedTokensInput {
  connectionId: string;
  /** Straight from ProviderClient.exchangeCode. */
  tokens: TokenSet;
  context?: AuditContext;
}

/**
 * The encrypted token store of provider connections, on ProviderConnectionsRepository. Every write is
 * one transaction that also updates the connection and appends the audit row; ciphertexts are bound
 * to the connection id.
 */
@Injectable()
export class TokenVaultService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: ProviderConnectionsRepository,
    private readonly cipher: TokenCipherService,
    private readonly registry: ProviderRegistry,
  ) {}

  /**
   * Stores the tokens of a completed authorization (first link or reconnect): encrypted tokens, the
   * refresh token's deadline fixed from now (only here — refreshing never moves it), connection
   * `active` with `connected_at`, and audit `token_created`, all in one transaction. A reconnect
   * replaces the row in place and bumps its version, so an older in-flight refresh cannot overwrite it.
   */
  async storeAuthorizedTokens(input: StoreAuthorizedTokensInput): Promise<TokenStatus> {
    const { connectionId, tokens, context } = input;
    return this.dataSource.transaction(async (manager) => {
      const connection = await this.connections.lockForWrite(manager, connectionId);
      if (!connection || connection.providerDeleted) throw new ConnectionNotFoundError(connectionId);
      const now = new Date();
      const lifetime =
        tokens.refreshTokenExpiresInSeconds ??
        this.registry.catalogEntry(connection.providerKey).refreshTokenLifetimeSeconds;
      const expiresAt = secondsFrom(now, tokens.expiresInSeconds);
      const refreshTokenExpiresAt = tokens.refreshToken === null ? null : secondsFrom(now, lifetime);
      await this.connections.storeAuthorized(manager, connectionId, sealTokens(this.cipher, connectionId, tokens), {
        tokenType: tokens.tokenType,
        expiresAt,
        refreshTokenExpiresAt,
        scope: tokens.scope,
        connectedAt: now,
      });
      await writeProviderAudit(
        manager,
        {
          action: 'token_created',
          providerId: connection.providerId,
          connectionId,
          userId: connection.userId,
          details: {
            previous_status: connection.status,
            reconnect: connection.tokens !== null,
            expires_at: expiresAt?.toISOString() ?? null,
            refresh_token_expires_at: refreshTokenExpiresAt?.toISOString() ?? null,
            has_refresh_token: tokens.refreshToken !== null,
            scope: tokens.scope,
          },
        },
        context,
      );
      return {
        connectionId,
        status: 'active',
        expiresAt,
        hasRefreshToken: tokens.refreshToken !== null,
        scope: tokens.scope,
        lastRefreshedAt: null,
        refreshCount: 0,
        refreshTokenExpiresAt,
      };
    });
  }

  /**
   * Stores the secret a credential institution's `link` returned (a SimpleFIN Access URL, Alpaca's keys)
   * as the connection's access token: same cipher, key ring and AAD, no refresh token, no expiry (so
   * the proactive refresh never picks it), connection `active`, audit `token_created`.
   */
  storeCredential(input: { connectionId: string; secret: string; context?: AuditContext }): Promise<TokenStatus> {
    return this.storeAuthorizedTokens({
      connectionId: input.connectionId,
      context: input.context,
      tokens: {
        accessToken: input.secret,
        refreshToken: null,
        idToken: null,
        tokenType: 'credential',
        expiresInSeconds: null,
        scope: null,
        refreshTokenExpiresInSeconds: null,
      },
    });
  }

  /** The connection's token status; the token fields are null when it holds no tokens. */
  async getTokenStatus(connectionId: string): Promise<TokenStatus> {
    const status = await this.connections.findTokenStatus(connectionId);
    if (!status) throw new ConnectionNotFoundError(connectionId);
    return status;
  }
}

function secondsFrom(now: Date, seconds: number | null): Date | null {
  return seconds === null ? null : new Date(now.getTime() + seconds * 1000);
}
