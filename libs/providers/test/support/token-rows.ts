// Test-only seeding and inspection of raw token rows (under chosen keys, tampered or copied envelopes:
// states production never writes). Production code reaches these tables only through ProviderConnectionsRepository.
import { randomBytes, randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { getConfig } from '@dashtam/config';
import { TokenCipherService } from '@dashtam/crypto';
import {
  buildDataSourceOptions,
  ProviderConnectionEntity,
  ProviderEntity,
  ProviderTokenEntity,
  UserEntity,
} from '@dashtam/database';

export interface PlainTokens {
  access: string;
  refresh: string | null;
  idToken: string | null;
}

export interface StoredRow {
  id: string;
  connection_id: string;
  key_id: string;
  version: number;
  access_token_encrypted: string;
  refresh_token_encrypted: string | null;
  id_token_encrypted: string | null;
}

/** A key ring made of fresh random keys (nothing secret is committed). */
export function makeKeys(...ids: string[]): Record<string, Buffer> {
  return Object.fromEntries(ids.map((id) => [id, randomBytes(32)]));
}

export function cipherFor(keys: Record<string, Buffer>, ids: string[], activeKeyId: string): TokenCipherService {
  return new TokenCipherService({ keys: new Map(ids.map((id) => [id, keys[id]])), activeKeyId });
}

export function plainTokens(label: string = randomUUID()): PlainTokens {
  return { access: `access-${label}`, refresh: `refresh-${label}@`, idToken: `id-token-${label}` };
}

export async function openDataSource(): Promise<DataSource> {
  return new DataSource(buildDataSourceOptions(getConfig().database, { poolMax: 4 })).initialize();
}

/** user → provider → connection, inserted directly; returns the connection id (the tokens' AAD). */
export async function createConnection(dataSource: DataSource): Promise<string> {
  const tag = randomUUID();
  const user = await dataSource.getRepository(UserEntity).save({
    email: `crypto-${tag}@example.test`,
    name: 'Crypto Test',
    passwordHash: 'not-a-real-hash',
  });
  const provider = await dataSource
    .getRepository(ProviderEntity)
    .save({ userId: user.id, providerKey: 'sandbox', alias: `sandbox-${tag}` });
  const connection = await dataSource
    .getRepository(ProviderConnectionEntity)
    .save({ providerId: provider.id, status: 'active', connectedAt: new Date() });
  return connection.id;
}

/** Stores tokens the way the vault does: each value encrypted under the active key, bound to the connection. */
export async function storeTokens(
  dataSource: DataSource,
  cipher: TokenCipherService,
  connectionId: string,
  tokens: PlainTokens,
): Promise<string> {
  const context = { aad: connectionId };
  const encrypt = (value: string | null) => (value === null ? null : cipher.encrypt(value, context));
  const row = await dataSource.getRepository(ProviderTokenEntity).save({
    connectionId,
    accessTokenEncrypted: encrypt(tokens.access)!,
    refreshTokenEncrypted: encrypt(tokens.refresh),
    idTokenEncrypted: encrypt(tokens.idToken),
    expiresAt: new Date(Date.now() + 30 * 60_000),
    keyId: cipher.activeKeyId,
  });
  return row.id;
}

export async function readRow(dataSource: DataSource, id: string): Promise<StoredRow> {
  const [row] = (await dataSource.query(
    `SELECT id, connection_id, key_id, version, access_token_encrypted, refresh_token_encrypted, id_token_encrypted
       FROM provider_tokens WHERE id = $1`,
    [id],
  )) as StoredRow[];
  return row;
}

export function decryptRow(cipher: TokenCipherService, row: StoredRow): PlainTokens {
  const context = { aad: row.connection_id };
  const decrypt = (value: string | null) => (value === null ? null : cipher.decrypt(value, context));
  return {
    access: decrypt(row.access_token_encrypted)!,
    refresh: decrypt(row.refresh_token_encrypted),
    idToken: decrypt(row.id_token_encrypted),
  };
}
