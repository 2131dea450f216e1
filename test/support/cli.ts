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
  rmSync(dir, { recursive: true, force: true });
}

/** The environment of the test run, without any TURNPIKE_* settings of the developer's own. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TURNPIKE_')),
  );
  return { ...env, ...extra };
}

const portFlags = ['--gateway-port', '0', '--admin-port', '0', '--portal-port', '0', '--status-port', '0'];

export async function startTurnpike(options: StartOptions = {}): Promise<RunningTurnpike> {
  const dataDir = options.dataDir ?? tempDir();
  const child = spawn(
    process.execPath,
    [binPath, 'start', ...portFlags, '--data-dir', dataDir, ...(options.args ?? [])],
    {
      env: cleanEnv({ TURNPIKE_LOG_LEVEL: 'warn', ...options.env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`turnpike did not start within 30 s:\n${out}`)), 30_000);
    const check = () => {
      if (out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve();
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`turnpike exited with ${code} before starting:\n${out}`));
    });
  });

  const banner = parseBanner(out);
  return {
    gateway: banner.gateway,
    admin: banner.admin,
    portal: banner.portal,
    status: banner.status,
    token: options.env?.TURNPIKE_ADMIN_TOKEN ?? banner.token ?? '',
    demoKey: banner.demoKey,
    dataDir,
    process: child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
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
