// Starts Turnpike the way a user types it (`npm start -- --demo`, `npx turnpike start`, or the
// bin with only environment variables), waits for the banner and reads it. Unlike the shared
// harness this passes no --data-dir, so TURNPIKE_DATA_DIR is what decides.
import { type ChildProcess, spawn } from 'node:child_process';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Banner, parseBanner } from './banner.ts';
import { cleanEnv } from './cli.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const ephemeralPorts = [
  '--gateway-port',
  '0',
  '--admin-port',
  '0',
  '--portal-port',
  '0',
  '--status-port',
  '0',
];

/**
 * The user's environment: no TURNPIKE_* of the developer's, no npm_* of the test runner, and no
 * node_modules/.bin on PATH, so `node` is whatever the machine has (Node 20 here) and npm
 * itself must bring the project's Node 24.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(cleanEnv()).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
  );
  const path = (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !dir.includes('node_modules'))
    .join(delimiter);
  // One gateway worker: the commands stay exactly as people type them, at a cost the test machine can carry.
  return { ...env, PATH: path, TURNPIKE_LOG_LEVEL: 'warn', TURNPIKE_WORKERS: '1', ...extra };
}

export interface Spawned {
  child: ChildProcess;
  banner: Banner;
  output(): string;
  /** SIGTERM to the whole process group (npm and the node it started); resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Runs `command` in its own process group and waits for "Press Ctrl+C to stop.". */
export async function spawnUntilBanner(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd = repoRoot,
  timeoutMs = 45_000,
): Promise<Spawned> {
  const child = spawn(command, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const spawned: Spawned = {
    child,
    banner: parseBanner(''),
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${command} ${args.join(' ')} did not start in time:\n${out}`)),
        timeoutMs,
      );
      child.stdout?.on('data', () => {
        if (out.includes('Press Ctrl+C to stop.')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${command} exited with ${code} before starting:\n${out}`));
      });
    });
  } catch (error) {
    await spawned.stop();
    throw error;
  }
  spawned.banner = parseBanner(out);
  return spawned;
}
