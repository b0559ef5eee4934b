import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'lib/**', 'node_modules/**', 'coverage/**', 'src/**/*.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/action/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@actions/core', message: 'Only src/action/ may import @actions/core: the core is plain functions over plain data.' }] }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // A spread into a call passes every item as an argument: a few hundred thousand overflow the stack.
      'no-restricted-syntax': [
        'error',
        { selector: 'CallExpression > SpreadElement', message: 'Spreading into a call overflows the stack on large arrays: use append() from src/util/arrays.ts, or a loop.' },
        { selector: 'NewExpression > SpreadElement', message: 'Spreading into a call overflows the stack on large arrays: use a loop.' },
      ],
    },
  },
  {
    // The one CommonJS shim: web-tree-sitter's CommonJS build is what bundles (see src/code/tree-sitter.cjs).
    files: ['src/code/tree-sitter.cjs', 'src/code/tree-sitter.d.cts'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
