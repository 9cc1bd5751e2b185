import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        // The platform: unit, use-case, integration, infra and the console's browser end-to-end tests (test/e2e).
        test: {
          name: 'herald',
          include: ['test/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: { LOG_LEVEL: 'silent', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        },
      },
      // The console's component and page tests (jsdom, Testing Library).
      'console/vite.config.ts',
    ],
  },
});
