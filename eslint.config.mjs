import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// Package boundaries (apps/<app>, libs/<lib>): another package is reached through its alias only.
const DEEP_IMPORTS = {
  group: ['**/libs/*', '@dashtam/*/src/*'],
  message: 'Import a lib through its barrel, @dashtam/<lib>.',
};
// A relative path that climbs out of this package into apps/ or libs/, or into a sibling's src or test.
const OUT_OF_PACKAGE = {
  regex: '^(\\.\\./)+((apps|libs)/|[\\w-]+/(src|test)(/|$))',
  message:
    "Relative imports stay inside their own app or lib: use @dashtam/<lib>, and @dashtam/testing for another app's harness.",
};
const APP_ENTRIES = {
  regex: '^@dashtam/[\\w-]+-app$',
  message: 'Only libs/testing embeds an app (@dashtam/<app>-app); tests use @dashtam/testing.',
};
const TEST_HARNESS = {
  group: ['@dashtam/testing'],
  message: 'Production code never depends on the test harness.',
};
const restrictImports = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '**/migrations/*.ts'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through @dashtam/config; only libs/config touches process.env.',
        },
      ],
      'no-restricted-imports': restrictImports(DEEP_IMPORTS, OUT_OF_PACKAGE, APP_ENTRIES),
    },
  },
  {
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['libs/testing/**', '**/*.spec.ts'],
    rules: { 'no-restricted-imports': restrictImports(DEEP_IMPORTS, OUT_OF_PACKAGE, APP_ENTRIES, TEST_HARNESS) },
  },
  {
    files: ['libs/testing/src/**/*.ts'],
    rules: { 'no-restricted-imports': restrictImports(DEEP_IMPORTS, OUT_OF_PACKAGE) },
  },
  {
    files: ['libs/config/src/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts', '**/*.e2e-spec.ts', '**/*.spec.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Plain CommonJS run by node inside containers (docker/healthcheck.js), never compiled.
    files: ['docker/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', process: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
