import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';

import { ProviderConnectionsRepository, writeProviderAudit } from '@dashtam/providers';

import { AccountsRepository, type ImportTarget } from '../accounts/accounts.repository';
import { BalanceSnapshotsRepository } from '../accounts/balance-snapshots.repository';
import { PositionsRepository } from '../accounts/positions.repository';
import type { ClientContext } from '../common/decorators/client-context.decorator';
import { AppError } from '../common/errors';
import { offsetOf, type Page, pageOf, type PageQueryDto } from '../common/pagination/page-query.dto';
import { ProvidersRepository } from '../providers/providers.repository';
import { storableNullableText, storableText } from '../syncs/engine/storable';
import { TransactionsRepository } from '../transactions/transactions.repository';
import type { ImportRequest } from './import-request';
import { ImportsRepository, type ImportView } from './imports.repository';
import { CsvMappingRequiredError, parseImportFile } from './parsers/import-parser';
import { ImportMalformedError, type ParsedImport } from './parsers/import-file';

/** The catalog key of imported providers. */
export const FILE_PROVIDER_KEY = 'file';
const CSV_ALIAS = 'Import';
const ALIAS_MAX = 100;
const BATCH = 1000;
const ERRORS_KEPT = 100;

/**
 * Imports a file: parses it whole first (a malformed file writes nothing), then writes the provider
 * (created on the institution's first import), its accounts, transactions, balances and holdings,
 * and the import record — all in one database transaction, so nothing is ever half-imported.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly imports: ImportsRepository,
    private readonly providers: ProvidersRepository,
    private readonly connections: ProviderConnectionsRepository,
    private readonly accounts: AccountsRepository,
    private readonly snapshots: BalanceSnapshotsRepository,
    private readonly positions: PositionsRepository,
    private readonly transactions: TransactionsRepository,
  ) {}

  async create(userId: string, request: ImportRequest, client: ClientContext): Promise<ImportView> {
    const target = request.accountId
      ? await this.accounts.findOwnedOfProviderKey(userId, request.accountId, FILE_PROVIDER_KEY)
      : null;
    if (request.accountId && !target) {
      throw new AppError('ACCOUNT.NOT_FOUND', 'No such import account (imports write only into accounts they created)');
    }
    const mapping = request.mapping ?? (target?.metadata.csv_mapping as ImportRequest['mapping'] | undefined) ?? null;
    const parsed = this.parse(request, mapping);
    if (parsed.format === 'csv' && target) parsed.statements[0].accountKey = target.providerAccountId;
    if (target && !parsed.statements.some((s) => s.accountKey === target.providerAccountId)) {
      throw new AppError('IMPORT.ACCOUNT_MISMATCH', 'The file holds no statement of the account named by account_id');
    }
    if (parsed.format === 'csv') parsed.statements[0].metadata = { source: 'csv', csv_mapping: mapping };

    const id = await this.dataSource.transaction(async (manager) => {
      // An import into a named account belongs to that account's provider, whatever the file says.
      const institutionKey = target ? `account:${target.id}` : parsed.institution.key;
      await this.imports.lockInstitution(manager, userId, institutionKey);
      const owner = target ?? (await this.providerFor(manager, userId, parsed, client));
      return this.write(manager, userId, owner, parsed, request, institutionKey);
    });
    return (await this.imports.findOwned(userId, id))!;
  }

  async list(userId: string, query: PageQueryDto): Promise<Page<ImportView>> {
    const { items, total } = await this.imports.list(userId, offsetOf(query), query.per_page);
    return pageOf(items, total, query);
  }

  async get(userId: string, id: string): Promise<ImportView> {
    const found = await this.imports.findOwned(userId, id);
    if (!found) throw new AppError('IMPORT.NOT_FOUND', 'No such import');
    return found;
  }

  private parse(request: ImportRequest, mapping: ImportRequest['mapping']): ParsedImport {
    try {
      return parseImportFile(request.file.bytes, { format: request.format, mapping });
    } catch (error) {
      if (error instanceof ImportMalformedError) {
        throw new AppError('IMPORT.MALFORMED', 'The file cannot be read; nothing was imported', {
          errors: error.errors,
        });
      }
      if (error instanceof CsvMappingRequiredError) {
        throw new AppError('VALIDATION.FAILED', 'The import request is invalid', {
          errors: [{ field: 'mapping', message: error.message, code: 'required' }],
        });
      }
      throw error;
    }
  }

  /** The institution's import provider, created (active, with no tokens) on its first import. */
  private async providerFor(
    manager: EntityManager,
    userId: string,
    parsed: ParsedImport,
    client: ClientContext,
  ): Promise<Pick<ImportTarget, 'providerId' | 'connectionId'>> {
    const existing = await this.imports.findProviderOfInstitution(manager, userId, parsed.institution.key);
    if (existing) return existing;
    const base =
      storableText(parsed.institution.name ?? CSV_ALIAS)
        .slice(0, ALIAS_MAX - 4)
        .trim() || CSV_ALIAS;
    const taken = await this.providers.aliasesStartingWith(manager, userId, base);
    let alias = base;
    for (let n = 2; taken.has(alias); n += 1) alias = `${base} (${n})`;
    const providerId = await this.providers.insert(manager, { userId, providerKey: FILE_PROVIDER_KEY, alias });
    const connectionId = await this.connections.createImported(manager, providerId);
    await writeProviderAudit(
      manager,
      {
        action: 'provider_created',
        providerId,
        connectionId,
        userId,
        details: { provider_key: FILE_PROVIDER_KEY, alias },
      },
      client,
    );
    return { providerId, connectionId };
  }

  private async write(
    manager: EntityManager,
    userId: string,
    owner: Pick<ImportTarget, 'providerId' | 'connectionId'>,
    parsed: ParsedImport,
    request: ImportRequest,
    institutionKey: string,
  ): Promise<string> {
    const written = await this.accounts.upsertForImport(
      manager,
      { ...owner, userId },
      parsed.statements.map((s) => ({
        providerAccountId: s.accountKey,
        mask: s.mask,
        name: storableText(s.name).slice(0, 200),
        accountType: s.accountType,
        currency: s.currency,
        currentBalance: s.balance?.current ?? null,
        availableBalance: s.balance?.available ?? null,
        balanceAsOf: s.balance?.asOf ?? null,
        metadata: { source: parsed.format, institution_account_type: s.institutionAccountType, ...(s.metadata ?? {}) },
      })),
    );
    const byKey = new Map(written.map((account) => [account.providerAccountId, account]));
    const tally = { created: 0, updated: 0, unchanged: 0 };
    for (const statement of parsed.statements) {
      const account = byKey.get(statement.accountKey)!;
      const rows = statement.transactions.map((t) => ({
        ...t,
        description: storableNullableText(t.description),
        rawType: storableText(t.rawType).slice(0, 64),
      }));
      for (let start = 0; start < rows.length; start += BATCH) {
        const batch = rows.slice(start, start + BATCH);
        const { created, updated } = await this.transactions.upsertBatch(
          manager,
          { accountId: account.id, userId },
          batch,
        );
        tally.created += created;
        tally.updated += updated;
        tally.unchanged += batch.length - created - updated;
      }
      if (statement.balance) {
        await this.snapshots.insertForImport(manager, [
          {
            accountId: account.id,
            balance: statement.balance.current,
            availableBalance: statement.balance.available,
            holdingsValue: statement.balance.holdings ?? '0',
            cashValue: statement.balance.cash,
            capturedAt: statement.balance.asOf,
          },
        ]);
      }
      // Holdings follow the balances: an older statement imported later changes neither.
      if (statement.positions && account.balanceApplied) {
        const positions = statement.positions.map((p) => ({
          ...p,
          accountId: account.id,
          symbol: storableText(p.symbol).slice(0, 64),
          description: storableNullableText(p.description),
          asOf: statement.balance!.asOf,
        }));
        await this.positions.upsertForSync(manager, positions);
        await this.positions.deactivateMissing(manager, [account.id], positions);
      }
    }
    await this.connections.recordImport(
      manager,
      owner.connectionId,
      await this.accounts.countActive(manager, owner.connectionId),
    );
    return this.imports.insert(manager, {
      userId,
      providerId: owner.providerId,
      accountId: byKey.get(parsed.statements[0].accountKey)?.id ?? null,
      institutionKey,
      format: parsed.format,
      status: parsed.errors.length > 0 ? 'completed_with_errors' : 'completed',
      fileName: request.file.fileName === null ? null : storableText(request.file.fileName).slice(0, 255),
      fileSize: request.file.bytes.length,
      fileSha256: createHash('sha256').update(request.file.bytes).digest('hex'),
      transactionsCreated: tally.created,
      transactionsUpdated: tally.updated,
      transactionsUnchanged: tally.unchanged,
      errors: parsed.errors.slice(0, ERRORS_KEPT),
    });
  }
}
