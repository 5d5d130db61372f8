import { join } from 'node:path';
import { defineConfig } from 'vite';

// Run from the repository root (`npm run build:widget`): paths are anchored here. One classic
// script (IIFE) because sites paste a plain <script> tag; everything, styles included, is inside.
export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    lib: {
      entry: join(import.meta.dirname, 'src', 'main.ts'),
      formats: ['iife'],
      name: 'FunnelWidget',
      fileName: () => 'widget.js',
    },
  },
});
