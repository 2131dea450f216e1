// Builds the portal and the console into web/dist, but only when the build is missing or older
// than a file under web/ (or package-lock.json), so that `npm start` and `npm install`, which
// run this, stay quick. `--force` always builds (`npm run build:web`).
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webFolder = fileURLToPath(new URL('.', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
const distFolder = join(webFolder, 'dist');
const apps = ['portal', 'console'] as const;

/** The newest modification time of the sources: everything under web/ but builds and caches. */
async function newestSource(): Promise<number> {
  let newest = (await stat(join(repositoryRoot, 'package-lock.json')).catch(() => undefined))?.mtimeMs ?? 0;
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else newest = Math.max(newest, (await stat(path)).mtimeMs);
    }
  };
  await walk(webFolder);
  return newest;
}

/** When each app was last built: its index.html carries the time the build started. */
async function builtAt(app: string): Promise<number> {
  return (await stat(join(distFolder, app, 'index.html')).catch(() => undefined))?.mtimeMs ?? 0;
}

async function isStale(): Promise<boolean> {
  const sources = await newestSource();
  for (const app of apps) if ((await builtAt(app)) < sources) return true;
  return false;
}

/**
 * Builds into a temporary folder and swaps it in, so that a running server never serves half a
 * build, and two builds at once (two `npm start`s) leave one whole build.
 */
async function buildApp(app: (typeof apps)[number], started: Date): Promise<void> {
  const { build } = await import('vite');
  const { webAppConfig } = await import('./vite.config.ts');
  const target = join(distFolder, app);
  const temporary = join(distFolder, `.${app}-${process.pid}`);
  await build({ ...webAppConfig(app, temporary), configFile: false, logLevel: 'warn' });
  await utimes(join(temporary, 'index.html'), started, started);
  const old = join(distFolder, `.${app}-old-${process.pid}`);
  await rename(target, old).catch(() => undefined);
  try {
    await rename(temporary, target);
  } catch {
    await rm(temporary, { recursive: true, force: true }); // another build got there first
  }
  await rm(old, { recursive: true, force: true });
}

async function viteInstalled(): Promise<boolean> {
  try {
    await import('vite');
    await import('@vitejs/plugin-react');
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  if (!force && !(await isStale())) return;
  if (!(await viteInstalled())) {
    // An install without devDependencies (npm ci --omit=dev) cannot build; the servers then
    // answer the web pages with a 503 saying how to build them.
    const message =
      'web: Vite is not installed (devDependencies omitted?), so the portal and console are not built';
    if (force) throw new Error(message);
    console.warn(`${message}; run \`npm run build:web\` after a full install.`);
    return;
  }
  const started = new Date();
  await mkdir(distFolder, { recursive: true });
  console.log('web: building the portal and the console into web/dist …');
  for (const app of apps) await buildApp(app, started);
  console.log(`web: built in ${((Date.now() - started.getTime()) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
