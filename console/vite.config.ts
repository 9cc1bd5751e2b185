/**
 * The console's build (`npm run build` → console/dist) and its component tests (the `console`
 * project of the root vitest config: jsdom, Testing Library).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    alias: { '@shared': here('../shared'), '@functions': here('../functions') },
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    // Source maps help a bug report; they are separate files, never loaded unless devtools ask.
    sourcemap: true,
    reportCompressedSize: false,
    // dist/.vite/manifest.json: which chunks each page loads (npm run bench:console reads it).
    manifest: true,
    chunkSizeWarningLimit: 600,
  },
  test: {
    name: 'console',
    root: here('.'),
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    globals: true,
    setupFiles: [here('test/setup.ts')],
    css: false,
    testTimeout: 20_000,
  },
});
