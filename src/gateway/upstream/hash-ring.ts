// Consistent hashing: the same caller (client address, a header's value, or the consumer's
// application) keeps going to the same target. Each target owns points on a ring in proportion to
// its weight (160 for an average weight); a key goes to the first point clockwise of its hash, so
// adding or removing a target moves only the keys of that target's points, about 1/n of them.
// When the owner may not take the request, the walk goes on clockwise to the next target.

import type { Balancing } from '../../shared/upstream-settings.ts';
import { isAvailable } from '../health/circuit-breaker.ts';
import type { BalancedRequest, Balancer, Target } from './balancer.ts';

const pointsPerTarget = 160;

/** FNV-1a over UTF-16 code units, then murmur3's finalizer so similar strings spread evenly. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class HashRing<T> {
  readonly #points: Uint32Array;
  readonly #owners: T[];

  /** `members` with a key (their identity) and a positive weight. */
  constructor(members: readonly { key: string; weight: number; value: T }[]) {
    const total = members.reduce((sum, m) => sum + m.weight, 0);
    const entries: [number, T][] = [];
    for (const member of members) {
      const count = Math.max(1, Math.round((pointsPerTarget * members.length * member.weight) / total));
      for (let i = 0; i < count; i++) entries.push([hash32(`${member.key}#${i}`), member.value]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    this.#points = Uint32Array.from(entries, (e) => e[0]);
    this.#owners = entries.map((e) => e[1]);
  }

  get size(): number {
    return this.#points.length;
  }

  /** The position of the first point at or after `hash`, going round past the end. */
  start(hash: number): number {
    const points = this.#points;
    let low = 0;
    let high = points.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((points[mid] as number) < hash) low = mid + 1;
      else high = mid;
    }
    return low === points.length ? 0 : low;
  }

  ownerAt(position: number): T {
    return this.#owners[position] as T;
  }

  /** The owner of `key`'s hash. */
  get(key: string): T {
    return this.ownerAt(this.start(hash32(key)));
  }
}

const byClientIp = 0;
const byHeader = 1;
const byConsumer = 2;

export class ConsistentHash implements Balancer {
  readonly targets: readonly Target[];
  readonly #ring: HashRing<Target>;
  readonly #source: number;
  readonly #header: string;

  /** Without a header name, hashing "on a header" falls back to the client address. */
  constructor(targets: readonly Target[], hashOn: Balancing['hashOn'], header: string | null) {
    this.targets = targets;
    this.#ring = new HashRing(targets.map((t) => ({ key: t.url, weight: t.weight, value: t })));
    this.#header = header?.toLowerCase() ?? '';
    this.#source =
      hashOn === 'consumer' ? byConsumer : hashOn === 'header' && this.#header !== '' ? byHeader : byClientIp;
  }

  /** What identifies the caller; the client address when the header or the consumer is missing. */
  keyOf(request: BalancedRequest): string {
    if (this.#source === byHeader) {
      const value = request.header(this.#header);
      if (value !== undefined) return value;
    } else if (this.#source === byConsumer) {
      const consumer = request.consumer;
      if (consumer !== undefined) return consumer.applicationId;
    }
    return request.clientIp();
  }

  pick(request: BalancedRequest, now: number, exclude: Target | undefined): Target | undefined {
    const ring = this.#ring;
    const size = ring.size;
    // Past a few steps, check that some target may be tried at all before walking the whole ring.
    const enough = 2 * this.targets.length;
    let position = ring.start(hash32(this.keyOf(request)));
    for (let step = 0; step < size; step++) {
      const target = ring.ownerAt(position);
      if (target !== exclude && isAvailable(target.health, now)) return target;
      if (step === enough && !this.#anyAvailable(now, exclude)) return undefined;
      position = position + 1 === size ? 0 : position + 1;
    }
    return undefined;
  }

  #anyAvailable(now: number, exclude: Target | undefined): boolean {
    for (const target of this.targets) if (target !== exclude && isAvailable(target.health, now)) return true;
    return false;
  }
}
