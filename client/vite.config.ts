import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

// Two entries served by the Nest app: the dashboard SPA (/login, /signup, /dashboard/*) and the
// hosted checkout page (/checkout). Assets are emitted under /assets/.
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        dashboard: resolve(root, 'index.html'),
        checkout: resolve(root, 'checkout.html'),
      },
    },
  },
});
