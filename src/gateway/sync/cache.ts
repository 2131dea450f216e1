// The last good snapshot of a data-plane node, on disk, so the node can start serving when the
// control plane is unreachable at boot. Written whole to a temporary file, then renamed over
// the old one: a crash mid-write never leaves half a snapshot.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fail, type Result } from '../../shared/errors.ts';
import { validateSnapshot } from '../snapshot/compile.ts';
import type { Snapshot } from '../snapshot/types.ts';

export function writeSnapshotFile(file: string, snapshot: Snapshot): void {
  // It may hold HMAC signing secrets (ADR 0008): readable by this user only.
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(temporary, file);
}

/** The snapshot in `file`, checked like any snapshot from outside; undefined when there is none. */
export function readSnapshotFile(file: string): Result<Snapshot> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail('snapshot-invalid', `${file} is not JSON`);
  }
  return validateSnapshot(data);
}
