import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

interface Case {
  file: string;
  from: string;
}

// ESLint loads eslint.config.mjs through import(), which Jest's CommonJS runtime cannot: one plain
// node process lints every case with the project's own configuration, as `npm run lint` does.
function restrictedImports(cases: Case[]): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const cases = JSON.parse(process.argv[1]);
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = [];
      for (const { file, from } of cases) {
        const [result] = await eslint.lintText(\`import { x } from '\${from}';\\nexport const y = x;\\n\`, { filePath: file });
        out.push(result.messages.map((m) => m.ruleId));
      }
      console.log(JSON.stringify(out));
    })().catch((error) => { console.error(error); process.exit(1); });
  `;
  const stdout = execFileSync(process.execPath, ['-e', script, JSON.stringify(cases)], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(stdout) as string[][];
}

/** The package boundaries of eslint.config.mjs, as `npm run lint` applies them to these paths. */
describe('ESLint: imports across apps and libs', () => {
  const refused: Case[] = [
    // A test reaching into another app's src or test, or from a lib into an app.
    { file: 'apps/api/test/providers/linking.e2e-spec.ts', from: '../../../sandbox/src/sandbox-app' },
    { file: 'apps/api/test/support/token-refresh-fixtures.ts', from: '../../../callback/test/support/harness' },
    { file: 'libs/crypto/test/token-key-check.e2e-spec.ts', from: '../../../apps/api/src/app.module' },
    { file: 'libs/providers/test/support/kit.ts', from: '../../../../apps/sandbox/test/support/harness' },
    { file: 'libs/providers/src/registry.ts', from: '../../crypto/src/token-cipher.service' },
    // App entries are for libs/testing; the harness is never production code's dependency.
    { file: 'apps/api/test/platform/platform.e2e-spec.ts', from: '@dashtam/sandbox-app' },
    { file: 'apps/api/src/app.module.ts', from: '@dashtam/testing' },
    { file: 'libs/providers/src/index.ts', from: '@dashtam/testing' },
    // Libs only through their barrel.
    { file: 'apps/api/test/auth/login.e2e-spec.ts', from: '@dashtam/database/src/entities' },
  ];
  const allowed: Case[] = [
    { file: 'apps/api/test/auth/login.e2e-spec.ts', from: '../../src/auth/tokens/opaque-token' },
    { file: 'apps/api/test/auth/login.e2e-spec.ts', from: '@dashtam/testing' },
    { file: 'apps/sandbox/src/controls/dto/arm-fault.dto.ts', from: '../../faults/fault.types' },
    { file: 'libs/testing/src/api/test-app.ts', from: '@dashtam/api-app' },
    { file: 'libs/providers/src/oauth/oauth-state.store.spec.ts', from: '@dashtam/testing' },
  ];

  it('refuses imports across package boundaries and allows the rest', () => {
    const results = restrictedImports([...refused, ...allowed]);
    const named = (cases: Case[], offset: number) =>
      cases.map((c, i) => ({ ...c, rules: results[offset + i].filter((rule) => rule === 'no-restricted-imports') }));

    expect(named(refused, 0)).toEqual(refused.map((c) => ({ ...c, rules: ['no-restricted-imports'] })));
    expect(named(allowed, refused.length)).toEqual(allowed.map((c) => ({ ...c, rules: [] })));
  });
});
