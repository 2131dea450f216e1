// Runs the real `turnpike` command as a child process, the way a user does, on ephemeral ports,
// and reads what it prints. For end-to-end tests.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBanner } from './banner.ts';

export const binPath = fileURLToPath(new URL('../../bin/turnpike.js', import.meta.url));

export interface RunningTurnpike {
  gateway: string;
  admin: string;
  portal: string;
  status: string;
  /** The admin token printed on first start, or the one passed in the environment. */
  token: string;
  /** The demo key when started with --demo. */
  demoKey: string | undefined;
  dataDir: string;
  process: ChildProcess;
  output(): string;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, with no chance to clean up. */
  kill(): Promise<void>;
}

export interface StartOptions {
  args?: string[];
  env?: Record<string, string>;
  /** Reuse a data directory (to test restarts); a fresh temporary one otherwise. */
  dataDir?: string;
}

export function tempDir(prefix = 'turnpike-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  // A process that was just stopped through a wrapper (npm, npx) may still be writing its last
  // files for a moment: retry rather than fail on ENOTEMPTY.
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

/** The environment of the test run, without any TURNPIKE_* settings of the developer's own. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TURNPIKE_')),
  );
  return { ...env, ...extra };
}

const portFlags = ['--gateway-port', '0', '--admin-port', '0', '--portal-port', '0', '--status-port', '0'];

/** A `turnpike` process whose output is collected, with a way to wait for a line of it. */
interface Spawned {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves with the first match of `pattern` in the output; rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

function spawnTurnpike(args: string[], env: Record<string, string> = {}): Spawned {
  const child = spawn(process.execPath, [binPath, ...args], {
    env: cleanEnv({ TURNPIKE_LOG_LEVEL: 'warn', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    out += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (!match) return;
          done();
          resolve(match);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${out}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then((code) => {
          if (!listeners.has(check)) return;
          done();
          reject(new Error(`turnpike exited with ${code}:\n${out}`));
        });
        check();
      });
    },
  };
}

function stopper(spawned: Spawned) {
  return {
    async stop() {
      if (spawned.child.exitCode === null) spawned.child.kill('SIGTERM');
      return spawned.exited;
    },
    async kill() {
      if (spawned.child.exitCode === null) spawned.child.kill('SIGKILL');
      await spawned.exited;
    },
  };
}

export async function startTurnpike(options: StartOptions = {}): Promise<RunningTurnpike> {
  const dataDir = options.dataDir ?? tempDir();
  const extra = options.args ?? [];
  // One gateway worker unless a test asks otherwise: the cluster path, at the smallest cost.
  const workers = extra.includes('--workers') ? [] : ['--workers', '1'];
  const spawned = spawnTurnpike(
    ['start', ...portFlags, '--data-dir', dataDir, ...workers, ...extra],
    options.env,
  );
  await spawned.waitFor(/Press Ctrl\+C to stop\./);
  const out = spawned.output();
  const banner = parseBanner(out);
  return {
    gateway: banner.gateway,
    admin: banner.admin,
    portal: banner.portal,
    status: banner.status,
    token: options.env?.TURNPIKE_ADMIN_TOKEN ?? banner.token ?? '',
    demoKey: banner.demoKey,
    dataDir,
    process: spawned.child,
    output: spawned.output,
    ...stopper(spawned),
  };
}

export interface RunningDataPlane {
  /** The status server (known at once). */
  status: string;
  dataDir: string;
  process: ChildProcess;
  output(): string;
  /** The gateway's URL, once it serves (it listens only when it has a configuration). */
  gateway(timeoutMs?: number): Promise<string>;
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

/** `turnpike gateway` against a control plane, on ephemeral ports. */
export async function startDataPlane(options: {
  controlPlane: string;
  token: string;
  dataDir?: string;
  args?: string[];
  env?: Record<string, string>;
}): Promise<RunningDataPlane> {
  const dataDir = options.dataDir ?? tempDir();
  const extra = options.args ?? [];
  const workers = extra.includes('--workers') ? [] : ['--workers', '1'];
  const spawned = spawnTurnpike(
    [
      'gateway',
      '--control-plane',
      options.controlPlane,
      '--token',
      options.token,
      '--gateway-port',
      '0',
      '--status-port',
      '0',
      '--data-dir',
      dataDir,
      ...workers,
      ...extra,
    ],
    options.env,
  );
  await spawned.waitFor(/Press Ctrl\+C to stop\./);
  const status = /status +(http:\S+?)\/ready/.exec(spawned.output())?.[1] ?? '';
  return {
    status,
    dataDir,
    process: spawned.child,
    output: spawned.output,
    gateway: async (timeoutMs) =>
      (await spawned.waitFor(/Serving on (http:\/\/\S+:\d+)/, timeoutMs))[1] ?? '',
    ...stopper(spawned),
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a one-shot command (`apply`, `export`, …) to completion. */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [binPath, ...args],
      { env: cleanEnv(env), timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}
