/** Jest runs the TypeScript sources as ESM through ts-jest (transpile only; `npm run typecheck` checks types). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // lib/ is compiled once for the whole run (test/helpers/global-setup.mjs).
  globalSetup: '<rootDir>/test/helpers/global-setup.mjs',
  testTimeout: 60000,
  maxWorkers: 2,
  verbose: false
};
