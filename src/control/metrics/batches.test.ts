// What the batch wrapper publishes for each way a store can end: stored, duplicate, refused
// (never storable) and failed (worth retrying); results and throws pass through unchanged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageBatch } from '../model/usage.ts';
import { UsageBatchRefused } from '../services/usage.ts';
import { countUsageBatches } from './batches.ts';
import { type BatchEvent, batchChannel } from './channels.ts';

const batch = {
  id: '0b6f7f0e-6a0e-4c43-9d43-1f1d1a5c6a10',
  entries: [
    { subscriptionId: 'sub_1', metric: 'hits', hour: '2026-11-22T03:00:00.000Z', units: 1 },
    { subscriptionId: 'sub_1', metric: 'hits', hour: '2026-11-22T03:00:00.000Z', units: 2 },
    { subscriptionId: 'sub_2', metric: 'hits', hour: '2026-11-22T03:00:00.000Z', units: 3 },
  ],
} as UsageBatch;

describe('countUsageBatches', () => {
  let events: BatchEvent[] = [];
  const listen = (message: unknown) => void events.push(message as BatchEvent);
  beforeEach(() => {
    events = [];
    batchChannel.subscribe(listen);
  });
  afterEach(() => void batchChannel.unsubscribe(listen));

  it('publishes stored and duplicate batches with their entries, and passes the result on', async () => {
    let stored = false;
    const store = countUsageBatches('local', async () => {
      const first = !stored;
      stored = true;
      return { stored: first };
    });
    expect(await store(batch)).toEqual({ stored: true });
    expect(await store(batch)).toEqual({ stored: false });
    expect(events).toEqual([
      { kind: 'usage', source: 'local', result: 'stored', entries: 3 },
      { kind: 'usage', source: 'local', result: 'duplicate', entries: 3 },
    ]);
  });

  it('tells a refused batch from a failed one, and rethrows both', async () => {
    const refused = new UsageBatchRefused('entries[0].units: too big');
    const failed = new Error('connection refused');
    await expect(countUsageBatches('node', () => Promise.reject(refused))(batch)).rejects.toBe(refused);
    await expect(countUsageBatches('node', () => Promise.reject(failed))(batch)).rejects.toBe(failed);
    expect(events.map((e) => e.result)).toEqual(['refused', 'failed']);
  });

  it('counts no entries of a batch without a list of them', async () => {
    const malformed = { id: 'x' } as unknown as UsageBatch;
    await countUsageBatches('node', async () => ({ stored: true }))(malformed);
    expect(events).toEqual([{ kind: 'usage', source: 'node', result: 'stored', entries: 0 }]);
  });
});
