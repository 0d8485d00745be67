// Three tiers: pure domain units, handler tests on PostgreSQL, HTTP e2e.
// The two tiers that need a database name the global setup that creates one for the run; Jest runs
// a project's global setup only when one of its tests is selected, and the same module once, so
// `npm run test:unit` touches no database at all and a full run creates exactly one.
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
}];
const common = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras|load-esm|@borewit|content-disposition|cookie)/)',
  ],
  moduleNameMapper: {
    '^#platform/errors$': '<rootDir>/libs/platform/src/errors/domain-error.ts',
    '^#(platform|identity|interviews|events|testing)$': '<rootDir>/libs/$1/src/index.ts',
  },
  testEnvironment: 'node',
};
const database = {
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
};
module.exports = {
  ...common,
  testTimeout: 60000,
  testSequencer: '<rootDir>/test/support/order-sequencer.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/domain/**/*.spec.ts'] },
    { ...common, ...database, displayName: 'integration', testMatch: ['<rootDir>/libs/**/*.spec.ts'], testPathIgnorePatterns: ['/domain/'] },
    { ...common, ...database, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
