import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layers from './eslint/layer-boundaries.js';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '.data/',
      'scratch/',
      'reports/',
      '.stryker-tmp/',
      'src/gateways/db/migrations/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  { files: ['src/**/*.ts'], plugins: { layers }, rules: { 'layers/layer-boundaries': 'error' } },
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: globals.node } },
  // The web app runs in the browser (its own tsconfig, src/web/tsconfig.json).
  { files: ['src/web/src/**/*.{ts,tsx}'], languageOptions: { globals: globals.browser } },
  { files: ['scripts/**', 'src/emulator/cli.ts', 'test/support/*.mjs'], rules: { 'no-console': 'off' } },
);
