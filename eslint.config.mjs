import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import fileNames from './scripts/eslint/file-name-rule.cjs';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/dist.building-*/**',
      '**/node_modules/**',
      '.turbo/**',
      'bench/**',
      'examples/**',
      'scripts/**',
      '*.config.*',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['packages/*/src/**/*.ts', 'packages/*/test/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error'],
    },
  },
  {
    files: ['packages/*/test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // One file-naming rule (CONTRIBUTING.md): PascalCase for a file named after the class it
    // exports, kebab-case for every other file.
    files: ['packages/*/{src,test}/**/*.{ts,mts,cts,js,mjs,cjs}', 'e2e/**/*.{ts,mts,cts,js,mjs,cjs}'],
    plugins: { 'agent-otel': fileNames },
    rules: { 'agent-otel/file-name': 'error' },
  },
);
