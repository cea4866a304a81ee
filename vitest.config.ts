import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src-*/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // compiles the WASM kernels (and, where this machine can, the native ones) when missing or stale
    globalSetup: ['scripts/build-kernels.mjs', 'scripts/build-native.mjs'],
  },
});
