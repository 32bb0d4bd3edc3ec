/**
 * @jest-config-loader ts-node
 */
// Node >= 22.18 loads a TypeScript config natively, as ESM, where './jest.config' (no extension) does
// not resolve; ts-node loads it as the CommonJS the rest of the tree is.
import type { Config } from 'jest';

import { baseJestConfig } from './jest.config';

/**
 * e2e tier: `*.e2e-spec.ts` against real PostgreSQL and Redis. Global setup runs TestDbBootstrap once
 * per run; suites run in band because they share one database.
 */
const config: Config = {
  ...baseJestConfig,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '\\.e2e-spec\\.ts$',
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 30_000,
  maxWorkers: 1,
};

export default config;
