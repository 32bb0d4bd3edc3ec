import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { TokenCipher } from '@dashtam/crypto';
import type { ConnectionStatus } from '@dashtam/database';

import { type AuditContext, writeProviderAudit } from '../audit/provider-audit.writer';
import type { TokenSet } from '../provider-client';
import { ProviderRegistry } from '../provider-registry';
import { ConnectionNotFoundError } from './token.errors';
import type { TokenStatus } from './token-row';

interface ConnectionRow {
  status: ConnectionStatus;
  providerId: string;
  userId: string;
  providerKey: string;
}

export interface StoreAuthorizedTokensInput {
  connectionId: string;
  /** Straight from ProviderClient.exchangeCode. */
  tokens: TokenSet;
  context?: AuditContext;
}

/**
 * The encrypted token store of provider connections. Every write is one transaction that also
 * updates the connection and appends the audit row; ciphertexts are bound to the connection id.
 */
@Injectable()
export class TokenVaultService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
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
      // Lock order: the token row (when there is one) before the connection row, as refreshes do.
      const existing = (await manager.query('SELECT version FROM provider_tokens WHERE connection_id = $1 FOR UPDATE', [
        connectionId,
      ])) as Array<{ version: number }>;
      const connection = await lockConnection(manager, connectionId);
      const now = new Date();
      const lifetime =
        tokens.refreshTokenExpiresInSeconds ??
        this.registry.catalogEntry(connection.providerKey).refreshTokenLifetimeSeconds;
      const expiresAt = secondsFrom(now, tokens.expiresInSeconds);
      const refreshTokenExpiresAt = tokens.refreshToken === null ? null : secondsFrom(now, lifetime);
      const aad = { aad: connectionId };
      await manager.query(
        `INSERT INTO provider_tokens (connection_id, access_token_encrypted, refresh_token_encrypted,
                                      id_token_encrypted, token_type, expires_at, refresh_token_expires_at,
                                      scope, last_refreshed_at, refresh_count, key_id, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, 0, $9, 1)
         ON CONFLICT (connection_id) DO UPDATE SET
           access_token_encrypted = EXCLUDED.access_token_encrypted,
           refresh_token_encrypted = EXCLUDED.refresh_token_encrypted,
           id_token_encrypted = EXCLUDED.id_token_encrypted,
           token_type = EXCLUDED.token_type,
           expires_at = EXCLUDED.expires_at,
           refresh_token_expires_at = EXCLUDED.refresh_token_expires_at,
           scope = EXCLUDED.scope,
           last_refreshed_at = NULL,
           refresh_count = 0,
           key_id = EXCLUDED.key_id,
           version = provider_tokens.version + 1,
           updated_at = now()`,
        [
          connectionId,
          this.cipher.encrypt(tokens.accessToken, aad),
          tokens.refreshToken === null ? null : this.cipher.encrypt(tokens.refreshToken, aad),
          tokens.idToken === null ? null : this.cipher.encrypt(tokens.idToken, aad),
          tokens.tokenType,
          expiresAt,
          refreshTokenExpiresAt,
          tokens.scope,
          this.cipher.activeKeyId,
        ],
      );
      await manager.query(
        `UPDATE provider_connections
            SET status = 'active', connected_at = $2, error_count = 0, error_message = NULL, updated_at = now()
          WHERE id = $1`,
        [connectionId, now],
      );
      await writeProviderAudit(
        manager,
        {
          action: 'token_created',
          providerId: connection.providerId,
          connectionId,
          userId: connection.userId,
          details: {
            previous_status: connection.status,
            reconnect: existing.length > 0,
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

  /** The connection's token status; the token fields are null when it holds no tokens. */
  async getTokenStatus(connectionId: string): Promise<TokenStatus> {
    const rows = (await this.dataSource.query(
      `SELECT c.status, t.connection_id IS NOT NULL AS "hasTokens", t.expires_at AS "expiresAt",
              t.refresh_token_encrypted IS NOT NULL AS "hasRefreshToken", t.scope,
              t.last_refreshed_at AS "lastRefreshedAt", t.refresh_count AS "refreshCount",
              t.refresh_token_expires_at AS "refreshTokenExpiresAt"
         FROM provider_connections c
         LEFT JOIN provider_tokens t ON t.connection_id = c.id
        WHERE c.id = $1`,
      [connectionId],
    )) as Array<Omit<TokenStatus, 'connectionId'> & { hasTokens: boolean }>;
    const row = rows[0];
    if (!row) throw new ConnectionNotFoundError(connectionId);
    const { hasTokens, ...status } = row;
    return hasTokens
      ? { connectionId, ...status }
      : {
          connectionId,
          status: row.status,
          expiresAt: null,
          hasRefreshToken: null,
          scope: null,
          lastRefreshedAt: null,
          refreshCount: null,
          refreshTokenExpiresAt: null,
        };
  }
}

async function lockConnection(manager: EntityManager, connectionId: string): Promise<ConnectionRow> {
  const rows = (await manager.query(
    `SELECT c.status, c.provider_id AS "providerId", p.user_id AS "userId", p.provider_key AS "providerKey"
       FROM provider_connections c
       JOIN providers p ON p.id = c.provider_id AND p.deleted_at IS NULL
      WHERE c.id = $1
        FOR UPDATE OF c`,
    [connectionId],
  )) as ConnectionRow[];
  if (!rows[0]) throw new ConnectionNotFoundError(connectionId);
  return rows[0];
}

function secondsFrom(now: Date, seconds: number | null): Date | null {
  return seconds === null ? null : new Date(now.getTime() + seconds * 1000);
}
