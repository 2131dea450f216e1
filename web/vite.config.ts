// One Vite configuration for the two web apps: the developer portal (served at / on the portal
// port) and the admin console (served at /console/ on the admin port). `web/build.ts` builds
// both; `TURNPIKE_WEB_APP=console npx vite --config web/vite.config.ts` serves one for
// development, proxying its API to a running `turnpike start`.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

export type WebApp = 'portal' | 'console';

export const webApps: readonly WebApp[] = ['portal', 'console'];

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The dev server and `vite preview` pass API calls to a running `turnpike start`, on the ports
// it was given (the same variables it reads).
const portal = `http://127.0.0.1:${process.env.TURNPIKE_PORTAL_PORT ?? 8002}`;
const admin = `http://127.0.0.1:${process.env.TURNPIKE_ADMIN_PORT ?? 8001}`;

/** Where each app is served, and which API it calls on which port. */
const served: Record<WebApp, { base: string; api: Record<string, string>; devPort: number }> = {
  portal: { base: '/', api: { '/portal/v1': portal, '/oauth': portal }, devPort: 5173 },
  console: { base: '/console/', api: { '/admin/v1': admin }, devPort: 5174 },
};

export function webAppConfig(app: WebApp, outDir = here(`./dist/${app}`)): UserConfig {
  const { base, api, devPort } = served[app];
  return {
    root: here(`./${app}`),
    base,
    publicDir: here('./ui/public'),
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      // Mantine, React and the router together are above Vite's 500 kB warning, gzip ~150 kB.
      chunkSizeWarningLimit: 1000,
    },
    server: { port: devPort, strictPort: true, proxy: api },
    preview: { port: devPort + 100, strictPort: true, proxy: api },
  };
}

export default defineConfig(() =>
  webAppConfig(process.env.TURNPIKE_WEB_APP === 'console' ? 'console' : 'portal'),
);
