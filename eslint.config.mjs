import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Key material only in certs/ (docs/ARCHITECTURE.md): see the rule set below.
const keyMaterialSyntax = [
  {
    selector:
      'MemberExpression[property.name=/^(createPrivateKey|generateKeyPairSync|generateKeyPair|checkPrivateKey|privateKeyFromPem|privateKeyToPem|privateDecrypt|privateEncrypt)$/]',
    message: 'private keys are handled in certs/ only.',
  },
  {
    selector:
      'CallExpression:matches([callee.name=/^(readFile|readFileSync|writeFile|writeFileSync)$/], [callee.property.name=/^(readFile|readFileSync|writeFile|writeFileSync)$/]) :matches(Identifier[name=/^(?!.*public).*key(_?(pem|file|path))?$/i], MemberExpression[property.name=/^(?!.*public).*key(_?(pem|file|path))?$/i])',
    message: 'key files are read and written in certs/ only (certs/tls-material.ts).',
  },
];

// One clock (domain/clock.ts): production code asks the injected Clock for the time, so tests set it
// instead of sleeping. Elapsed durations (metrics, logs, a child process's start-up) use performance.now().
const clockSyntax = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'the time comes from the injected Clock (domain/clock.ts): clock.now(), not new Date().',
  },
  {
    selector: "CallExpression[callee.name='Date']",
    message: 'the time comes from the injected Clock (domain/clock.ts): clock.now(), not Date().',
  },
];
const productionFiles = [
  'gateway/**/*.ts',
  'store/**/*.ts',
  'schema/**/*.ts',
  'workers/**/*.ts',
  'certs/**/*.ts',
  'connectors/**/*.ts',
  'platform/**/*.ts',
  'scripts/**/*.ts',
  'domain/**/*.ts',
  'forms/**/*.ts',
  'web/**/*.ts',
];
// The clock itself, and the registry simulators that run on the system clock (no test needs to set
// theirs; the portal simulator takes a clock).
const clockExempt = [
  'domain/clock.ts',
  'connectors/business/simulator/**',
  'connectors/population/simulator/**',
  'connectors/land/simulator/**',
  'connectors/identity/simulator/**',
  '**/*.test.ts',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'data/**',
      'node_modules/**',
      'coverage/**',
      'jest.config.js',
      '.dependency-cruiser.cjs',
      'tests/support/summary-reporter.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // One error hierarchy: throw HubError subclasses (or Error in infrastructure), never literals.
      'no-throw-literal': 'error',
      'no-console': 'error',
    },
  },
  {
    // Key material only in certs/ (docs/ARCHITECTURE.md): elsewhere, TLS keys are PEM strings handed
    // from certs/ to a TLS stack, never parsed, generated, used to sign, read from or written to a file.
    // The registry simulators stand in for other parties' services and hold keys of their own; tests
    // and benchmarks make test keys.
    files: ['**/*.ts'],
    ignores: ['certs/**', 'connectors/*/simulator/**', 'connectors/simulator-kit/**', 'tests/**', '**/*.test.ts', 'bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['node:crypto', 'crypto'].map((name) => ({
              name,
              importNames: [
                'createPrivateKey',
                'generateKeyPair',
                'generateKeyPairSync',
                'createSign',
                'sign',
                'privateDecrypt',
                'privateEncrypt',
                'KeyObject',
              ],
              message: 'private keys are handled in certs/ only: add what you need to certs/tls-material.ts (or another certs/ module).',
            })),
            {
              name: 'jose',
              importNames: ['importPKCS8', 'exportPKCS8', 'generateKeyPair', 'SignJWT', 'CompactSign', 'FlattenedSign', 'GeneralSign'],
              message: 'signing keys are handled in certs/ only (certs/token-key-ring.ts, certs/signing/jws.ts).',
            },
            { name: 'node-forge', message: 'node-forge (key parsing, PKCS#8) is used in certs/ only.' },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...keyMaterialSyntax],
    },
  },
  {
    files: productionFiles,
    ignores: clockExempt,
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'the time comes from the injected Clock (domain/clock.ts); durations from performance.now().',
        },
      ],
    },
  },
  {
    // Replaces the key-material block's no-restricted-syntax where both apply: its selectors are kept.
    files: productionFiles,
    ignores: [...clockExempt, 'certs/**', 'connectors/*/simulator/**', 'connectors/simulator-kit/**'],
    rules: { 'no-restricted-syntax': ['error', ...keyMaterialSyntax, ...clockSyntax] },
  },
  {
    files: ['certs/**/*.ts', 'connectors/portal/simulator/**/*.ts', 'connectors/simulator-kit/**/*.ts'],
    ignores: clockExempt,
    rules: { 'no-restricted-syntax': ['error', ...clockSyntax] },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['tests/**', '**/*.test.ts', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
);
