import type { Config } from 'jest';

/** What both tiers share: ts-jest, path aliases, UTC. */
export const baseJestConfig: Config = {
  rootDir: '.',
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
    // content-disposition 2 ships ESM only and @fastify/static require()s it; Jest's CommonJS runtime
    // cannot, even on Node 24 (its require(esm) needs --experimental-vm-modules).
    'node_modules/content-disposition/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true }, diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  // Apps are embedded only by libs/testing (`@dashtam/<app>-app`, their src/index.ts); the rest are libs.
  moduleNameMapper: {
    '^@dashtam/(api|callback|sandbox)-app$': '<rootDir>/apps/$1/src',
    '^@dashtam/(.*)$': '<rootDir>/libs/$1/src',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/** Unit tier: colocated `*.spec.ts`, no I/O. */
const config: Config = {
  ...baseJestConfig,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/scripts', '<rootDir>/test'],
  testRegex: '\\.spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '\\.e2e-spec\\.ts$'],
};

export default config;
