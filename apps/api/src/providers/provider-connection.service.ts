import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { TokenCipherService } from '@dashtam/crypto';
import {
  ProviderConnectionsRepository,
  ProviderNotConfiguredError,
  ProviderRegistry,
  revokeGrant,
  type GrantRevocation,
  TokenRefreshService,
  type TokenRow,
  type TokenStatus,
  TokenVaultService,
  UnknownProviderError,
  writeProviderAudit,
} from '@dashtam/providers';

import type { ClientContext } from '../common/decorators/client-context.decorator';
import type { ProviderView } from './providers.repository';

/** What happened at the institution when a connection was disconnected (audit detail). */
type Revocation = GrantRevocation | 'no_token';

/**
 * The token side of a provider: status, refresh on demand, disconnect. Refresh is the library's
 * single-flight TokenRefreshService.
 */
@Injectable()
export class ProviderConnectionService {
  private readonly logger = new Logger(ProviderConnectionService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: ProviderConnectionsRepository,
    private readonly registry: ProviderRegistry,
    private readonly cipher: TokenCipherService,
    private readonly vault: TokenVaultService,
    private readonly refresher: TokenRefreshService,
  ) {}

  tokenStatus(provider: ProviderView): Promise<TokenStatus> {
    return this.vault.getTokenStatus(provider.connectionId);
  }

  /**
   * Refreshes now, or joins the refresh already running for this connection anywhere. Its failures
   * (ReauthRequiredError, ProviderUnavailableError, …) become problems in the error filter.
   */
  refresh(provider: ProviderView, client: ClientContext): Promise<TokenStatus> {
    return this.refresher.refreshNow(provider.connectionId, client);
  }

  /** DELETE …/authorization: revoke where supported, delete tokens, `disconnected`; the provider stays. */
  async disconnect(provider: ProviderView, client: ClientContext): Promise<void> {
    await this.dataSource.transaction((manager) => this.disconnectLocked(manager, provider, client));
  }

  /**
   * Disconnects inside the caller's transaction. Holds the token row lock (the refresh lock) across
   * the revocation call, so a concurrent refresh cannot rotate the refresh token being revoked and
   * then store it after we deleted the row. A connection without tokens that is already `pending` or
   * `disconnected` is left as it is (nothing changes, so nothing is audited).
   */
  async disconnectLocked(manager: EntityManager, provider: ProviderView, client: ClientContext): Promise<void> {
    const locked = await this.connections.lockForWrite(manager, provider.connectionId);
    const row = locked?.tokens ?? null;
    const previousStatus = locked?.status ?? provider.status;
    if (!row && (previousStatus === 'pending' || previousStatus === 'disconnected')) return;

    const revocation = row ? await this.revokeAtInstitution(provider, row) : 'no_token';
    await this.connections.disconnect(manager, provider.connectionId);
    await writeProviderAudit(
      manager,
      {
        action: 'connection_revoked',
        providerId: provider.id,
        connectionId: provider.connectionId,
        userId: provider.userId,
        details: { previous_status: previousStatus, revocation, tokens_deleted: row !== null },
      },
      client,
    );
  }

  /**
   * RFC 7009 at the institution, best effort: a refresh token revokes its whole grant, so it goes
   * first. A failure here must not keep the person from disconnecting; it is logged and audited.
   */
  private async revokeAtInstitution(provider: ProviderView, row: TokenRow): Promise<Revocation> {
    let institution;
    try {
      institution = this.registry.client(provider.providerKey);
    } catch (error) {
      if (error instanceof ProviderNotConfiguredError || error instanceof UnknownProviderError) return 'failed';
      throw error;
    }
    const aad = { aad: provider.connectionId };
    const { outcome, reason } = await revokeGrant(institution, () => ({
      accessToken: this.cipher.decrypt(row.accessTokenEncrypted, aad),
      refreshToken: row.refreshTokenEncrypted === null ? null : this.cipher.decrypt(row.refreshTokenEncrypted, aad),
    }));
    if (outcome === 'failed') this.logger.warn(`revocation for connection ${provider.connectionId} failed: ${reason}`);
    return outcome;
  }
}
