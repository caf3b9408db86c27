// Jest runs in native ESM mode (NestJS 12 packages are ESM-only): see the "test" scripts in package.json.
const esmTs = (tsconfig) => ({
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig }] },
});

export default {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'],
      ...esmTs('tsconfig.json'),
    },
    {
      displayName: 'client',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/client/src/**/*.spec.ts?(x)'],
      ...esmTs('client/tsconfig.json'),
    },
    {
      displayName: 'sdk',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/sdk/src/**/*.spec.ts'],
      ...esmTs('sdk/tsconfig.json'),
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
      ...esmTs('tsconfig.json'),
    },
    {
      displayName: 'browser',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
      ...esmTs('tsconfig.json'),
    },
  ],
};
