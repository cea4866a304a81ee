import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
// @ts-expect-error: plain .mjs build script without type declarations
import { kernelsAsset } from './scripts/build-kernels.mjs';
// @ts-expect-error: plain .mjs build script without type declarations
import { nativeAsset } from './scripts/build-native.mjs';
import { contentSecurityPolicy } from './src-main/csp';

/** index.html's meta CSP is the hosts' policy (src-main/csp.ts), plus the local sockets of browser mode and dev. */
const cspMeta = {
  name: 'app-csp-meta',
  transformIndexHtml: (html: string) => html.replace('%APP_CSP%', contentSecurityPolicy(['ws://127.0.0.1:*'], { meta: true })),
};

/**
 * One build for every process:
 * - main: the Electron main entry plus the Node entries that also run without Electron
 *   (CLI, browser-mode server, job worker, engine threads);
 * - preload: the sandboxed bridge (CommonJS, no Node modules);
 * - renderer: the Vue app, served by Electron or by browser mode.
 */
export default defineConfig({
  main: {
    // WASM kernels → out/main/kernels/kernels.wasm; native kernels (when they build) → out/main/kernels/kmeans-native.node
    plugins: [kernelsAsset(), nativeAsset()],
    build: {
      outDir: 'out/main',
      target: 'node20',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/index.ts'),
          cli: resolve(__dirname, 'src-main/cli.ts'),
          worker: resolve(__dirname, 'src-main/worker/main.ts'),
          'kernel-thread': resolve(__dirname, 'src-main/engine/kernels/thread.ts'),
          'view-thread': resolve(__dirname, 'src-main/views/view-thread.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve(__dirname, 'src-main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [vue(), cspMeta],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
  },
});
