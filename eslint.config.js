// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/.next/**', '**/next-env.d.ts', '**/node_modules/**', '**/.cache/**', 'docs/site/**', '**/custom-elements.json', 'tmp/**', '.demo/**', '.test-results/**'] },
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
    // @beckon/rules and @beckon/engine run unchanged in browsers, workers, React Native and servers: no platform,
    // no clock, no randomness (the engine's host passes them in).
    files: ['packages/rules/src/**/*.ts', 'packages/engine/src/**/*.ts'],
    ignores: ['packages/rules/src/**/*.test.ts', 'packages/engine/src/**/*.test.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'location', 'history', 'localStorage', 'sessionStorage', 'self', 'globalThis', 'process', 'performance', 'fetch', 'addEventListener', 'removeEventListener', 'customElements', 'MutationObserver'].map((name) => ({
          name,
          message: `@beckon/rules and @beckon/engine are isomorphic: "${name}" belongs in the platform layer (the host), not here.`,
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time comes in as `now` (epoch milliseconds); do not read the clock here.' },
        { object: 'Math', property: 'random', message: 'Randomness comes in from the caller; this package is deterministic.' },
        { object: 'performance', property: 'now', message: 'Time comes in as `now`; do not read the clock here.' },
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
        { paths: nodeBuiltins.map((name) => ({ name, message: '@beckon/rules and @beckon/engine must not import Node built-ins.' })) },
      ],
    },
  },
);
