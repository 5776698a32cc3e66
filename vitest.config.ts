import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // generous: integration tests generate and refresh provinces, and CI machines may be shared
    testTimeout: 300_000,
    hookTimeout: 900_000,
    pool: 'forks',
    env: { TZ: 'Asia/Shanghai' },
  },
});
