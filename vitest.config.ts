import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** React 18, for @beckon/react's tests run a second time (the "react 18" project); the workspace's React is 19. */
const react18 = (name: string) => fileURLToPath(new URL(`./packages/react/test/react18/node_modules/${name}`, import.meta.url));

// Tests run against the TypeScript sources through each package's "source" export condition,
// so no build step is needed before `vitest`.
const resolve = { conditions: ['source', 'module', 'browser', 'development|production'] };
const ssr = { resolve: { conditions: ['source', ...defaultServerConditions] } };
const test = { environment: 'node', testTimeout: 30_000, hookTimeout: 60_000 } as const;
const exclude = ['**/*.browser.test.ts', '**/node_modules/**', '**/dist/**'];

export default defineConfig({
  resolve,
  ssr,
  test: {
    ...test,
    // Each project names its own files (a project's include would add to one inherited, not replace it).
    projects: [
      {
        resolve,
        ssr,
        test: { ...test, name: 'node', include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'], exclude, env: { BECKON_REACT: '19' } },
      },
      {
        // @beckon/react's rendering tests once more, against React 18 (react, react-dom and react-test-renderer 18.3).
        // (The type tests check both Reacts' types in one run; the URL rule renders nothing.)
        resolve: {
          ...resolve,
          alias: [
            { find: /^react$/, replacement: react18('react') },
            { find: /^react\/(.*)$/, replacement: `${react18('react')}/$1` },
            { find: /^react-dom\/(.*)$/, replacement: `${react18('react-dom')}/$1` },
            { find: /^react-test-renderer$/, replacement: react18('react-test-renderer') },
          ],
        },
        ssr,
        test: {
          ...test,
          name: 'react 18',
          include: ['packages/react/src/**/*.test.ts'],
          exclude: [...exclude, 'packages/react/src/jsx.test.ts', 'packages/react/src/native/safe-url.test.ts'],
          env: { BECKON_REACT: '18' },
        },
      },
    ],
  },
});
