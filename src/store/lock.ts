// The embedded database must have one process at a time; a second one would corrupt it.
// A lock file holds the owner's pid; a lock left by a process that no longer runs is taken over.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

export function acquireDataDirLock(dataDir: string): () => Promise<void> {
  const file = join(dataDir, 'turnpike.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      held.add(file);
      return async () => {
        held.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8'));
      const ours = owner === process.pid;
      if ((ours && held.has(file)) || (!ours && owner && isRunning(owner)))
        throw new DataDirLockedError(dataDir, owner);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
