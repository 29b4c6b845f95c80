// Test projects: unit (no I/O: no files, databases, sockets, child processes or network), integration
// (real servers on loopback, real SQLite, temporary files, openssl, and checks of the repository's own
// files), e2e (the real app over HTTP with signed Slack requests and the local Slack API server), deploy
// (deploy/ files checked against the code), browser (the local console in a real browser).
import { defineConfig } from 'vitest/config';

// kafkajs 2.2.4 arms a timer with a negative delay on every connection (see bin/redrive); the warning
// says nothing about Redrive and would bury real ones in the test output.
const execArgv = ['--disable-warning=TimeoutNegativeWarning'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          execArgv,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          execArgv,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
        },
      },
      {
        test: {
          // deploy/ against the code: IAM policy, Compose file, Helm chart, Dockerfile, dashboard and
          // alert rules, with the linters of scripts/deploy-tools.sh; starts Redrive on SQLite, no service.
          name: 'deploy',
          include: ['test/deploy/**/*.test.ts'],
          globalSetup: ['test/deploy/global-setup.ts'],
          execArgv,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
        },
      },
      {
        test: {
          // The local console in Debian's chromium (scripts/install-chromium.sh); no external service.
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 90_000,
          maxWorkers: 1,
        },
      },
    ],
  },
});
