// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.cache/**', 'docs/site/**', '**/custom-elements.json', 'tmp/**', '.demo/**', '.test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // @beckon/rules runs unchanged in browsers and servers: no platform, no clock, no randomness.
    files: ['packages/rules/src/**/*.ts'],
    ignores: ['packages/rules/src/**/*.test.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'self', 'globalThis', 'process', 'performance', 'fetch'].map((name) => ({
          name,
          message: `@beckon/rules is isomorphic and pure: "${name}" belongs in the platform layer, not here.`,
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time comes in as `now` (epoch milliseconds); do not read the clock in @beckon/rules.' },
        { object: 'Math', property: 'random', message: 'Randomness comes in from the caller; @beckon/rules is deterministic.' },
        { object: 'performance', property: 'now', message: 'Time comes in as `now`; do not read the clock in @beckon/rules.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: '`new Date()` reads the clock; pass `now` in instead.',
        },
      ],
      'no-restricted-imports': [
        'error',
        { paths: nodeBuiltins.map((name) => ({ name, message: '@beckon/rules must not import Node built-ins.' })) },
      ],
    },
  },
);
