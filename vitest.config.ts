import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // generous: integration tests generate and refresh provinces, and CI machines may be shared
    testTimeout: 300_000,
    hookTimeout: 900_000,
    pool: 'forks',
    // vitest's default is one worker per core minus one: a single worker on the 2-core CI
    // machine; many files wait on child processes and DuckDB I/O, so two overlap well
    maxWorkers: 2,
    env: { TZ: 'Asia/Shanghai' },
  },
});
