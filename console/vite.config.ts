import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web console: a Preact single-page app bundled at build time into console/dist, which the
 * local hub serves at `/` (and the CDK stack uploads to its console bucket). No CDN at run time.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset paths: the same build works at `/` and under any prefix (CloudFront, S3).
  base: './',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 250,
  },
});
