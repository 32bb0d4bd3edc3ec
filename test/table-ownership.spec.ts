import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const OWNER = 'libs/providers/src/connections/provider-connections.repository.ts';

// A statement on provider_tokens: any read or write. On provider_connections: a write (others may join to read).
const TOKENS_STATEMENT = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+"?provider_tokens\b/i;
const CONNECTIONS_WRITE = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?provider_connections\b/i;
// TypeORM access to the same tables through their entities.
const ENTITY_ACCESS =
  /\b(?:getRepository|InjectRepository|createQueryBuilder)\(\s*(?:ProviderTokenEntity|ProviderConnectionEntity)\b/;

/** Production sources: apps' and libs' src and the operator scripts; tests, migrations and entities excluded. */
function productionSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['migrations', 'entities', 'node_modules'].includes(entry.name)) walk(path);
      } else if (entry.name.endsWith('.ts') && !/\.(e2e-)?spec\.ts$/.test(entry.name)) {
        files.push(relative(ROOT, path));
      }
    }
  };
  for (const group of ['apps', 'libs']) {
    for (const project of readdirSync(join(ROOT, group))) {
      const src = join(ROOT, group, project, 'src');
      if (existsSync(src)) walk(src);
    }
  }
  walk(join(ROOT, 'scripts'));
  return files;
}

/** One owner per table (CONVENTIONS #26): provider tokens and connections are written in one repository. */
describe('provider_tokens and provider_connections have one owner', () => {
  const sources = productionSources().map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));

  it('finds the owner and recognises its statements (so the checks below can fail)', () => {
    const owner = sources.find((source) => source.file === OWNER);
    expect(owner).toBeDefined();
    expect(owner!.text).toMatch(TOKENS_STATEMENT);
    expect(owner!.text).toMatch(CONNECTIONS_WRITE);
    expect(`dataSource.getRepository(ProviderTokenEntity)`).toMatch(ENTITY_ACCESS);
  });

  it('has no statement on provider_tokens, and no write of provider_connections, anywhere else', () => {
    const offenders = sources
      .filter(({ file }) => file !== OWNER)
      .filter(({ text }) => TOKENS_STATEMENT.test(text) || CONNECTIONS_WRITE.test(text) || ENTITY_ACCESS.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });
});

/**
 * The other tables with one owner: any write (and any entity access) lives in the named repository.
 * Reads may join across tables where a query needs it.
 */
const WRITE_OWNERS: Array<{ tables: string[]; entities: string[]; owner: string }> = [
  {
    tables: ['auth_sessions', 'refresh_tokens'],
    entities: ['AuthSessionEntity', 'RefreshTokenEntity'],
    owner: 'apps/api/src/auth/sessions/auth-sessions.repository.ts',
  },
  { tables: ['accounts'], entities: ['AccountEntity'], owner: 'apps/api/src/accounts/accounts.repository.ts' },
  { tables: ['positions'], entities: ['PositionEntity'], owner: 'apps/api/src/accounts/positions.repository.ts' },
  {
    tables: ['balance_snapshots'],
    entities: ['BalanceSnapshotEntity'],
    owner: 'apps/api/src/accounts/balance-snapshots.repository.ts',
  },
  {
    tables: ['transactions'],
    entities: ['TransactionEntity'],
    owner: 'apps/api/src/transactions/transactions.repository.ts',
  },
  { tables: ['syncs'], entities: ['SyncEntity'], owner: 'apps/api/src/syncs/syncs.repository.ts' },
  { tables: ['imports'], entities: ['ImportEntity'], owner: 'apps/api/src/imports/imports.repository.ts' },
];

describe.each(WRITE_OWNERS)('$tables are written only by their repository', ({ tables, entities, owner }) => {
  const sources = productionSources().map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));
  const write = new RegExp(`\\b(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+"?(?:${tables.join('|')})\\b`, 'i');
  const access = new RegExp(
    `\\b(?:getRepository|InjectRepository|createQueryBuilder|update|insert|delete|save)\\(\\s*(?:${entities.join('|')})\\b`,
  );

  it('the owner exists and the patterns recognise a write (so the check below can fail)', () => {
    expect(sources.some((source) => source.file === owner)).toBe(true);
    expect(`UPDATE ${tables[0]} SET x = 1`).toMatch(write);
    expect(`manager.getRepository(${entities[0]})`).toMatch(access);
  });

  it('has no write anywhere else', () => {
    const offenders = sources
      .filter(({ file }) => file !== owner)
      .filter(({ text }) => write.test(text) || access.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });
});
