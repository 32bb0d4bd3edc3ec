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
