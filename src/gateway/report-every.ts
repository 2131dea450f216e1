// What the gateway hands over in batches (keys used, metered usage): every interval, and once
// more when stopped, so nothing taken is left behind.

/** Calls `report` with what `take` gives, every `everyMs`, until stopped; stop() reports what is left. */
export function reportEvery<T>(
  take: () => T | undefined,
  report: (batch: T) => void,
  everyMs: number,
): () => void {
  const flush = () => {
    const batch = take();
    if (batch !== undefined) report(batch);
  };
  const timer = setInterval(flush, everyMs).unref();
  return () => {
    clearInterval(timer);
    flush();
  };
}
