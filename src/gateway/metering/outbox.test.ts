import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchRefused, UsageOutbox } from './outbox.ts';
import type { UsageBatch } from './usage-meter.ts';

const batch = (id: string, units = 1): UsageBatch => ({
  id,
  entries: [{ subscriptionId: 'sub_1', metric: 'hits', hour: '2026-11-21T10:00:00.000Z', units }],
});

describe('usage outbox', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('delivers in order and retries a failed batch with the same id until it is taken', async () => {
    const delivered: string[] = [];
    let down = true;
    const outbox = new UsageOutbox(
      async (b) => {
        if (down) throw new Error('control plane down');
        delivered.push(b.id);
      },
      { retryMs: 20 },
    );
    outbox.add(batch('a'));
    outbox.add(batch('b'));
    await outbox.flush();
    expect(delivered).toEqual([]);
    expect(outbox.pending).toBe(2);
    down = false;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(delivered).toEqual(['a', 'b']);
    expect(outbox.pending).toBe(0);
    await outbox.close();
  });

  it('keeps what it could not deliver on disk over a stop and sends it at the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    dirs.push(dir);
    const spoolFile = join(dir, 'usage-outbox.json');
    const first = new UsageOutbox(
      async () => {
        throw new Error('down');
      },
      { spoolFile, retryMs: 10_000 },
    );
    first.add(batch('a', 3));
    first.add(batch('b', 4));
    await first.close();
    expect(existsSync(spoolFile)).toBe(true);

    const delivered: UsageBatch[] = [];
    const second = new UsageOutbox(async (b) => void delivered.push(b), { spoolFile });
    await second.flush();
    expect(delivered.map((b) => [b.id, b.entries[0]?.units])).toEqual([
      ['a', 3],
      ['b', 4],
    ]);
    expect(existsSync(spoolFile)).toBe(false);
    await second.close();
    expect(existsSync(spoolFile)).toBe(false);
  });

  it('sets a refused batch aside instead of retrying it forever, and goes on with the next', async () => {
    const delivered: string[] = [];
    const errors: unknown[] = [];
    const outbox = new UsageOutbox(
      async (b) => {
        if (b.id === 'bad') throw new BatchRefused('malformed');
        delivered.push(b.id);
      },
      { onError: (e) => errors.push(e) },
    );
    outbox.add(batch('bad'));
    outbox.add(batch('good'));
    await outbox.flush();
    expect(delivered).toEqual(['good']);
    expect(errors).toHaveLength(1);
    expect(outbox.pending).toBe(0);
  });
});
