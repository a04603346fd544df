import { defineConfig } from 'vite';

export default defineConfig({
  // Relative URLs: dist/ works from any folder of any static server.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // TensorFlow.js is one large chunk (loaded after the page shows); don't warn about it.
    chunkSizeWarningLimit: 4096,
  },
});
