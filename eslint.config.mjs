import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['tests/**', '**/*.test.ts', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
);
