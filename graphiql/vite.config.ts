import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds GraphiQL into dist/graphiql, every asset under `/graphiql/assets/` with a content hash
 * in its name (the gateway serves them as immutable). Run by scripts/build-graphiql.mjs.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/graphiql/',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic' },
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../dist/graphiql', import.meta.url)),
    emptyOutDir: true,
    // Fonts and icons stay inlined in the CSS (GraphiQL ships them as data URLs).
    chunkSizeWarningLimit: 8192,
    reportCompressedSize: false,
    sourcemap: false,
    rollupOptions: {
      // React libraries mark modules "use client" for server-component bundlers; meaningless here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
