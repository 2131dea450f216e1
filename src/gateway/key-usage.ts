// Which API keys the gateway accepted lately, for their "last used" time. Costs one Set.add per
// accepted request; the ids are handed over in batches (every 15 s by default), so the
// control plane writes at most one update per batch, not one per request.
import { reportEvery } from './report-every.ts';

const used = new Set<string>();

export function noteKeyUse(keyId: string): void {
  used.add(keyId);
}

/** The ids used since the last call, and forgets them. */
export function takeKeyUses(): string[] {
  if (used.size === 0) return [];
  const ids = [...used];
  used.clear();
  return ids;
}

/** How often batches go out: TURNPIKE_KEY_USAGE_INTERVAL_MS, 15 s by default. */
export function keyUsageIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.TURNPIKE_KEY_USAGE_INTERVAL_MS);
  return Number.isInteger(ms) && ms >= 100 ? ms : 15_000;
}

/** Hands over each batch to `report` until stopped; stop() hands over what is left. */
export function reportKeyUses(report: (ids: string[]) => void, everyMs = keyUsageIntervalMs()): () => void {
  return reportEvery(
    () => {
      const ids = takeKeyUses();
      return ids.length > 0 ? ids : undefined;
    },
    report,
    everyMs,
  );
}
