// Three tiers (DESIGN.md "Tests"): pure domain units, handler tests on PostgreSQL, HTTP e2e.
// Every tier that needs a database gets the one globalSetup created for this run.
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
module.exports = {
  ...common,
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/domain/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/libs/**/*.spec.ts'], testPathIgnorePatterns: ['/domain/'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
