import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two projects, both run by `vitest run` (`npm test`); one alone with `--project unit` or `--project integration`.
 * integration: every suite that starts a stand-in (s3rver, dynalite, the local state-machine runner, an HTTP
 * server, the Genesys stand-in, child lambda workers), under test/integration/.
 * unit: everything else.
 */
const integration = ['test/integration/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/setup-env.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...integration] } },
      { extends: true, test: { name: 'integration', include: integration } },
    ],
  },
});
