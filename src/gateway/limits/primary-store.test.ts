// The worker-side store of a node without Redis, through the shared conformance suite: each call
// crosses a simulated IPC channel (serialized, answered asynchronously) to an in-process store,
// as in a worker talking to its primary.
import { describe, expect, it } from 'vitest';
import { describeCounterStore } from './conformance.ts';
import { MemoryCounterStore } from './memory-store.ts';
import { type ConsumeAnswer, type ConsumeRequest, PrimaryCounterStore } from './primary-store.ts';

function workerOf(primary: MemoryCounterStore): PrimaryCounterStore {
  const worker: PrimaryCounterStore = new PrimaryCounterStore((request: ConsumeRequest) => {
    const sent = JSON.parse(JSON.stringify(request)) as ConsumeRequest;
    setImmediate(() => {
      const answer: ConsumeAnswer = {
        t: 'consumed',
        id: sent.id,
        verdict: primary.consume(sent.checks, sent.units),
      };
      // Through JSON, as the cluster channel sends it (an eternity's Infinity arrives as null).
      worker.answered(JSON.parse(JSON.stringify(answer)) as ConsumeAnswer);
    });
  });
  return worker;
}

describeCounterStore('primary (over IPC)', (now) =>
  workerOf(new MemoryCounterStore({ now, sweepIntervalMs: 0 })),
);

describe('PrimaryCounterStore', () => {
  it('lets a call through, degraded, when the primary cannot be asked', async () => {
    const store = new PrimaryCounterStore(() => {
      throw new Error('channel closed');
    });
    const verdict = await store.consume([{ key: 'k', period: 'minute', max: 1 }], 1);
    expect(verdict).toMatchObject({ allowed: true, degraded: true, limits: [{ remaining: 1 }] });
  });
});
