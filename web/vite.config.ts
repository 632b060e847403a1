import { defineConfig, loadEnv } from 'vite';
import preact from '@preact/preset-vite';

// During `npm run dev`, /api is forwarded to the local Python server
// (CONSORES_API_URL, default http://127.0.0.1:8000). In production the
// Python server (or the CDN) serves dist/ and /api on the same origin.
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, '.', 'CONSORES_');
  return {
    plugins: [preact()],
    base: '/',
    build: { outDir: 'dist', target: 'es2020', sourcemap: false },
    server: {
      proxy: { '/api': env.CONSORES_API_URL || 'http://127.0.0.1:8000' },
    },
  };
});
