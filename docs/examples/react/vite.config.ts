// The example's build. In development, /v1 (Beckon's catalog and collector) goes to a `beckon serve` on port 8787,
// so the app talks to its own origin, as it does behind a reverse proxy in production.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/v1': 'http://127.0.0.1:8787' } },
});
