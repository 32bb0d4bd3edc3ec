import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

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
      'no-restricted-imports': ['error', { patterns: ['**/libs/*', '@dashtam/*/src/*'] }],
    },
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
