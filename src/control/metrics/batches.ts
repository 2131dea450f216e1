// Counts what becomes of the batches gateways hand over, by wrapping the function that stores
// them: the admin API's /sync/usage (data-plane nodes) and `turnpike start`'s in-process outbox
// (its own workers) both store through such a wrapper.
import type { UsageBatch } from '../model/usage.ts';
import { UsageBatchRefused } from '../services/usage.ts';
import { type BatchEvent, type BatchResult, batchChannel } from './channels.ts';

interface Counted {
  kind: BatchEvent['kind'];
  source: BatchEvent['source'];
  /** A throw that means the batch can never be stored (as opposed to a failure worth retrying). */
  refused: (error: unknown) => boolean;
}

/** `store`, publishing on the batch channel what became of each batch; its result and throws pass through. */
export function countBatches<B extends { entries: readonly unknown[] }, R extends { stored: boolean }>(
  counted: Counted,
  store: (batch: B) => Promise<R>,
): (batch: B) => Promise<R> {
  const publish = (result: BatchResult, batch: B) => {
    if (!batchChannel.hasSubscribers) return;
    // A batch that skipped validation may lack its entries.
    const entries = Array.isArray(batch.entries) ? batch.entries.length : 0;
    batchChannel.publish({
      kind: counted.kind,
      source: counted.source,
      result,
      entries,
    } satisfies BatchEvent);
  };
  return async (batch) => {
    try {
      const result = await store(batch);
      publish(result.stored ? 'stored' : 'duplicate', batch);
      return result;
    } catch (error) {
      publish(counted.refused(error) ? 'refused' : 'failed', batch);
      throw error;
    }
  };
}

/** Usage batches: a UsageBatchRefused is a refusal, anything else (the database) a failure. */
export function countUsageBatches(
  source: BatchEvent['source'],
  store: (batch: UsageBatch) => Promise<{ stored: boolean }>,
): (batch: UsageBatch) => Promise<{ stored: boolean }> {
  return countBatches(
    { kind: 'usage', source, refused: (error) => error instanceof UsageBatchRefused },
    store,
  );
}
