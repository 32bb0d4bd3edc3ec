import type { DataSource } from 'typeorm';

import type { AuditLogBody, LinkingStack, Page, ProviderBody, ProvidersApi } from '@dashtam/testing';
import { linkThroughBrowser } from '@dashtam/testing';

/** Links a new `sandbox` provider the way a person does (consent page, callback app) and returns it. */
export async function linkSandbox(stack: LinkingStack, providers: ProvidersApi, alias: string): Promise<ProviderBody> {
  const provider = await providers.created(alias);
  const page = await linkThroughBrowser(stack, providers, provider.id);
  if (page.status !== 200) throw new Error(`linking ${alias} answered ${page.status}`);
  return (await providers.get(provider.id).expect(200)).body as ProviderBody;
}

export async function connectionIdOf(dataSource: DataSource, providerId: string): Promise<string> {
  const [row] = (await dataSource.query('SELECT id FROM provider_connections WHERE provider_id = $1', [
    providerId,
  ])) as [{ id: string }];
  return row.id;
}

/** How many rows of each financial table belong to the provider's connection. */
export interface StoredRows {
  accounts: number;
  activeAccounts: number;
  positions: number;
  snapshots: number;
  transactions: number;
  distinctTransactions: number;
  syncs: number;
}

export async function storedRows(dataSource: DataSource, connectionId: string): Promise<StoredRows> {
  const [row] = (await dataSource.query(
    `SELECT (SELECT count(*)::int FROM accounts WHERE connection_id = $1) AS accounts,
            (SELECT count(*)::int FROM accounts WHERE connection_id = $1 AND is_active) AS "activeAccounts",
            (SELECT count(*)::int FROM positions p JOIN accounts a ON a.id = p.account_id WHERE a.connection_id = $1)
              AS positions,
            (SELECT count(*)::int FROM balance_snapshots b JOIN accounts a ON a.id = b.account_id
              WHERE a.connection_id = $1) AS snapshots,
            (SELECT count(*)::int FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE a.connection_id = $1)
              AS transactions,
            (SELECT count(DISTINCT (t.account_id, t.provider_transaction_id))::int FROM transactions t
               JOIN accounts a ON a.id = t.account_id WHERE a.connection_id = $1) AS "distinctTransactions",
            (SELECT count(*)::int FROM syncs WHERE connection_id = $1) AS syncs`,
    [connectionId],
  )) as [StoredRows];
  return row;
}

/** The provider's audit actions, oldest first. */
export async function auditTrail(providers: ProvidersApi, providerId: string): Promise<AuditLogBody[]> {
  const res = await providers.auditLogs(providerId, { per_page: 100 }).expect(200);
  return [...(res.body as Page<AuditLogBody>).items].reverse();
}
