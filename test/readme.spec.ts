import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { envSchema, SENSITIVE_ENV_KEYS } from '@dashtam/config';

const ROOT = join(__dirname, '..');

/** The README is the operator's reference: every variable the schema accepts is documented there. */
describe('README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const variables = Object.keys(envSchema.describe().keys ?? {});

  it.each(variables)('documents %s', (name) => {
    expect(readme).toContain(`\`${name}\``);
  });

  it('marks exactly the secret variables with 🔒', () => {
    const rows = readme.split('\n').filter((line) => line.startsWith('| `'));
    const locked = rows.flatMap((row) => [...row.matchAll(/`([A-Z0-9_]+)` 🔒/g)].map((m) => m[1]));
    expect(locked.sort()).toEqual([...SENSITIVE_ENV_KEYS].sort());
  });

  it('names the two commands first', () => {
    const firstBlock = readme.slice(readme.indexOf('```bash'), readme.indexOf('```', readme.indexOf('```bash') + 7));
    expect(firstBlock).toContain('make dev');
    expect(firstBlock).toContain('make test');
  });
});
