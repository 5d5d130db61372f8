import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const API = 'http://localhost:3000';

// Run from the repository root (`npm run dev:inbox`, `npm run build:inbox`): paths are anchored here.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    // The dev server serves the app; the API and realtime traffic go to `npm start`'s server.
    proxy: {
      '/api': API,
      '/socket.io': { target: API, ws: true },
    },
  },
});
