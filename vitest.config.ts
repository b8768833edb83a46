import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Node resolves `graphql` to its CommonJS entry (graphql 16 has no `exports` map), and so do
  // @apollo/server and @graphql-tools. Vite would pick the `.mjs` entry for our own files: two
  // copies of graphql in one process. Resolve ours the way Node does.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    reporters: ['default'],
    // The SDK warns once per process that its 2027 releases need Node 22; tests run on 20 and 22.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Some unit tests walk thousands of windows: seconds of CPU on a loaded machine.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          // Real clients against the running gateway: headless Chromium, Apollo Client, Relay.
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // After the unit and integration projects, so a browser never competes with them.
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
