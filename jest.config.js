/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic', importSource: 'preact' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  testEnvironment: 'node',
  // Preact 11 ships only .mjs files: swc transforms those too.
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  // jose 6, openid-client 6 (with oauth4webapi) and preact 11 are ESM-only: let swc transform them to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(jose|openid-client|oauth4webapi|preact|preact-render-to-string)/)'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/data/'],
  rootDir: __dirname,
};

module.exports = {
  testTimeout: 60_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.cjs'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      // Pure logic beside the code it tests; no services.
      testMatch: ['<rootDir>/{domain,platform,store,schema,connectors,gateway,workers,certs,scripts,forms,web}/**/*.test.{ts,tsx}'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      // Real PostgreSQL, a real Kafka broker and the registry simulators, started once for the run.
      globalSetup: '<rootDir>/tests/global-setup.ts',
      globalTeardown: '<rootDir>/tests/global-teardown.ts',
    },
  ],
};
