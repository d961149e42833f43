import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM builds; Node loads the CJS one for the libraries, so the
    // tests must use that same instance or `instanceof` checks across modules fail.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The admin console built from its current sources, once, before the files that serve it run.
    globalSetup: ['test/console/global-setup.ts'],
    // isolated-vm cannot load in worker threads and needs --no-node-snapshot on Node >= 20.
    pool: 'forks',
    poolOptions: {
      forks: { execArgv: ['--no-node-snapshot'] },
    },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
