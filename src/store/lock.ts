// The embedded database must have one process at a time; a second one would corrupt it.
// A lock file holds the owner's pid; a lock left by a process that no longer runs is taken over.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export class DataDirLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `the data directory ${dataDir} is in use by another Turnpike process (pid ${pid}); stop it or choose another TURNPIKE_DATA_DIR`,
    );
  }
}

// Locks this process holds: a lock file with our own pid is ours only if it is listed here (in a
// container every start may have pid 1, so a stale file can carry our pid).
const held = new Set<string>();

/** How long a process that took over a stale lock waits before checking it still holds it. */
const takeoverSettleMs = 50;

export async function acquireDataDirLock(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, 'turnpike.lock');
  let tookOver = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      const ours = owner === process.pid;
      if ((ours && held.has(file)) || (!ours && owner && isRunning(owner))) {
        throw new DataDirLockedError(dataDir, owner);
      }
      rmSync(file, { force: true });
      tookOver = true;
      continue;
    }
    // Two processes taking over the same stale lock can both get here, the later one having
    // removed the earlier one's fresh file; after a moment only one pid is in the file.
    if (tookOver) {
      await sleep(takeoverSettleMs);
      const owner = readOwner(file);
      if (owner !== process.pid) throw new DataDirLockedError(dataDir, owner);
    }
    held.add(file);
    return async () => {
      held.delete(file);
      rmSync(file, { force: true });
    };
  }
  throw new Error(`could not lock ${dataDir}`);
}

function readOwner(file: string): number {
  try {
    return Number(readFileSync(file, 'utf8'));
  } catch {
    return 0;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
