import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from './lock.ts';

describe('data directory lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'turnpike-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a directory locked by a running process', async () => {
    writeFileSync(join(dir, 'turnpike.lock'), String(process.ppid));
    await expect(acquireDataDirLock(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    expect(readFileSync(join(dir, 'turnpike.lock'), 'utf8')).toBe(String(process.ppid));
  });

  it('takes over a lock left by a process that no longer runs, and releases it', async () => {
    writeFileSync(join(dir, 'turnpike.lock'), '999999999');
    const release = await acquireDataDirLock(dir);
    expect(readFileSync(join(dir, 'turnpike.lock'), 'utf8')).toBe(String(process.pid));
    await expect(acquireDataDirLock(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    await release();
    const again = await acquireDataDirLock(dir);
    await again();
  });

  it('takes over a stale lock that carries its own pid (a container restarted as pid 1)', async () => {
    writeFileSync(join(dir, 'turnpike.lock'), String(process.pid));
    const release = await acquireDataDirLock(dir);
    await release();
  });
});
