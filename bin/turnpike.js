#!/usr/bin/env node
// Entry point of the `turnpike` command. Turnpike runs its TypeScript sources directly, which
// needs Node.js with type stripping on by default (22.18+, 24 LTS recommended). `npm start` and
// `npx turnpike` use the Node 24 that the project installs; say so plainly on older versions.
const [major, minor] = process.versions.node.split('.').map(Number);
if (!process.features.typescript || major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `turnpike: Node.js ${process.versions.node} cannot run Turnpike; it needs 22.18 or newer (24 LTS recommended).\n` +
      'Run it through npm, which uses the Node.js 24 installed with the project: "npm start" or "npx turnpike".',
  );
  process.exit(1);
}
// Keep the compiled (type-stripped) modules on disk: later starts and every gateway worker then
// skip the TypeScript stripper, which saves startup time and tens of MB of memory per process.
// The cache directory is inherited by the worker processes through NODE_COMPILE_CACHE.
const { enableCompileCache } = await import('node:module');
const cache = enableCompileCache?.();
if (cache?.directory && process.env.NODE_COMPILE_CACHE === undefined) {
  process.env.NODE_COMPILE_CACHE = cache.directory;
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
