import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ProviderAuditLogEntity } from '@dashtam/database';
import { ProviderConnectionsRepository, ProviderRegistry, writeProviderAudit } from '@dashtam/providers';

import type { ClientContext } from '../common/decorators/client-context.decorator';
import { ProviderDataService } from '../syncs/provider-data.service';
import { AppError } from '../common/errors';
import { offsetOf, type Page, pageOf, type PageQueryDto } from '../common/pagination/page-query.dto';
import type { CreateProviderDto } from './dto/create-provider.dto';
import type { ListProvidersQueryDto } from './dto/list-providers-query.dto';
import { ProviderConnectionService } from './provider-connection.service';
import { ProvidersRepository, type ProviderView } from './providers.repository';

export function providerNotFound(): AppError {
  return new AppError('PROVIDER.NOT_FOUND', 'No such provider');
}

/**
 * A user's providers: create (with its `pending` connection), read, rename, delete, and the audit
 * trail. Every change commits together with its one audit row.
 */
@Injectable()
export class ProvidersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ProvidersRepository,
    private readonly connectionsRepository: ProviderConnectionsRepository,
    private readonly registry: ProviderRegistry,
    private readonly connections: ProviderConnectionService,
    private readonly providerData: ProviderDataService,
  ) {}

  async create(userId: string, dto: CreateProviderDto, client: ClientContext): Promise<ProviderView> {
    this.assertLinkable(dto.provider_key);
    const providerId = await this.dataSource.transaction(async (manager) => {
      const providerId = await this.repository.insert(manager, {
        userId,
        providerKey: dto.provider_key,
        alias: dto.alias,
      });
      const connectionId = await this.connectionsRepository.createPending(manager, providerId);
      await writeProviderAudit(
        manager,
        {
          action: 'provider_created',
          providerId,
          connectionId,
          userId,
          details: { provider_key: dto.provider_key, alias: dto.alias },
        },
        client,
      );
      return providerId;
    });
    return this.get(userId, providerId);
  }

  async list(userId: string, query: ListProvidersQueryDto): Promise<Page<ProviderView>> {
    const { items, total } = await this.repository.list(userId, query);
    return pageOf(items, total, query);
  }

  async get(userId: string, id: string): Promise<ProviderView> {
    const provider = await this.repository.findOwned(userId, id);
    if (!provider) throw providerNotFound();
    return provider;
  }

  async rename(userId: string, id: string, alias: string, client: ClientContext): Promise<ProviderView> {
    await this.dataSource.transaction(async (manager) => {
      const provider = await this.repository.lockOwned(manager, userId, id);
      if (!provider) throw providerNotFound();
      if (provider.alias === alias) return;
      await this.repository.rename(manager, id, alias);
      await writeProviderAudit(
        manager,
        {
          action: 'provider_updated',
          providerId: id,
          connectionId: provider.connectionId,
          userId,
          details: { previous_alias: provider.alias, alias },
        },
        client,
      );
    });
    return this.get(userId, id);
  }

  /**
   * Disconnects (revoking at the institution where it can), deletes the provider's financial data
   * (accounts with their positions, balances and transactions, and its syncs), then soft-deletes the
   * provider, in one transaction. The audit rows stay: provider_audit_logs.provider_id has no foreign
   * key on purpose.
   */
  async remove(userId: string, id: string, client: ClientContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const provider = await this.repository.lockOwned(manager, userId, id);
      if (!provider) throw providerNotFound();
      // The disconnect locks the connection row first: the lock order a running sync keeps too.
      await this.connections.disconnectLocked(manager, provider, client);
      await this.providerData.deleteOfConnection(manager, provider.connectionId);
      await this.repository.softDelete(manager, id);
      await writeProviderAudit(
        manager,
        {
          action: 'provider_deleted',
          providerId: id,
          connectionId: provider.connectionId,
          userId,
          details: { provider_key: provider.providerKey, alias: provider.alias },
        },
        client,
      );
    });
  }

  /** The provider's audit trail, newest first. */
  async auditLogs(userId: string, id: string, query: PageQueryDto): Promise<Page<ProviderAuditLogEntity>> {
    await this.get(userId, id);
    const [items, total] = await this.dataSource.getRepository(ProviderAuditLogEntity).findAndCount({
      where: { providerId: id },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: offsetOf(query),
      take: query.per_page,
    });
    return pageOf(items, total, query);
  }

  /** Unknown and unconfigured keys are both a 400, with a code that says which. */
  private assertLinkable(key: string): void {
    const field = (message: string, code: string) => [{ field: 'provider_key', message, code }];
    if (this.registry.find(key) === null) {
      throw new AppError('PROVIDER.UNKNOWN_KEY', 'Unknown provider type', {
        errors: field('provider_key must be a key from GET /api/v1/provider-types', 'PROVIDER.UNKNOWN_KEY'),
      });
    }
    if (this.registry.catalogEntry(key).authType === 'file') {
      throw new AppError('PROVIDER.IMPORT_ONLY', 'File providers are created by imports', {
        errors: field('upload a file to POST /api/v1/imports instead', 'PROVIDER.IMPORT_ONLY'),
      });
    }
    if (!this.registry.isConfigured(key)) {
      throw new AppError('PROVIDER.NOT_CONFIGURED', 'This provider type is not available on this server', {
        errors: field('provider_key names a provider type that is not configured here', 'PROVIDER.NOT_CONFIGURED'),
      });
    }
  }
}
