// Latency histograms shared by the gateway (which counts) and the control plane (which stores,
// adds up and reads percentiles). Fixed bucket bounds, about 25% apart, so histograms from any
// node, minute or route add element by element, and a percentile read from them is within a
// bucket's width of the true one. Arrays may be shorter than the bucket count: missing trailing
// buckets are zero.

/** Upper bounds in milliseconds (inclusive); the last bucket, past 60 s, has no bound. */
export const latencyBoundsMs: readonly number[] = [
  0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 10, 12.5, 15, 20, 25, 30, 40, 50, 60, 75, 100, 125,
  150, 200, 250, 300, 400, 500, 600, 750, 1000, 1250, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 7500, 10_000,
  15_000, 20_000, 30_000, 60_000,
];

export const latencyBucketCount = latencyBoundsMs.length + 1;

/** The bucket a latency falls in: the first whose bound is not below it. */
export function latencyBucket(ms: number): number {
  let low = 0;
  let high = latencyBoundsMs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((latencyBoundsMs[mid] as number) < ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Adds `from` into `into` element by element (`into` grows as needed). */
export function addHistogram(into: number[], from: readonly number[]): number[] {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
  return into;
}

/** Drops trailing zero buckets, to keep batches and rows small. */
export function trimHistogram(histogram: number[]): number[] {
  let end = histogram.length;
  while (end > 0 && histogram[end - 1] === 0) end--;
  histogram.length = end;
  return histogram;
}

/**
 * The latency below which a share `q` (0 < q ≤ 1) of the requests fell, interpolated within its
 * bucket; null for an empty histogram. Past the last bound it answers that bound (60 s).
 */
export function latencyPercentile(histogram: readonly number[], q: number): number | null {
  let total = 0;
  for (const count of histogram) total += count;
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    const count = histogram[i] ?? 0;
    if (count === 0) continue;
    if (seen + count >= rank) {
      const upper = latencyBoundsMs[i];
      const lower = i === 0 ? 0 : (latencyBoundsMs[i - 1] as number);
      if (upper === undefined) return lower;
      return round(lower + ((upper - lower) * (rank - seen)) / count);
    }
    seen += count;
  }
  return latencyBoundsMs[latencyBoundsMs.length - 1] as number;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
