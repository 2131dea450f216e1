// One undici Pool per target origin. Pools outlive snapshots: a target that is unchanged keeps
// its warm connections across a reload; a target that disappears has its pool closed
// gracefully (requests already sent on it finish first).
import { Pool } from 'undici';

export interface UpstreamTimeouts {
  /** Milliseconds to establish a connection (TCP and TLS). */
  connect: number;
  /** Milliseconds from sending the request until the response headers are in. */
  headers: number;
  /** Milliseconds allowed between two chunks of the response body. */
  body: number;
}

// Connect fails fast (a dead target should not hold a client for long); headers allow for slow
// upstream work; body is an idle timeout, so long downloads that keep moving are fine.
export const defaultTimeouts: UpstreamTimeouts = { connect: 5_000, headers: 60_000, body: 60_000 };

export class UpstreamPools {
  readonly #pools = new Map<string, Pool>();
  readonly #options: Pool.Options;

  constructor(timeouts: UpstreamTimeouts) {
    this.#options = {
      connectTimeout: timeouts.connect,
      headersTimeout: timeouts.headers,
      bodyTimeout: timeouts.body,
      // Below the 5 s idle timeout of Node and many servers, so we never reuse a socket the
      // upstream is about to close.
      keepAliveTimeout: 4_000,
    };
  }

  /** The pool for an origin such as `http://10.0.0.5:8080`, created on first use. */
  get(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, this.#options);
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /** Closes every pool whose origin is not in `origins`. */
  retainOnly(origins: ReadonlySet<string>): void {
    for (const [origin, pool] of this.#pools) {
      if (origins.has(origin)) continue;
      this.#pools.delete(origin);
      pool.close().catch(() => {}); // closing never matters more than serving
    }
  }

  get origins(): string[] {
    return [...this.#pools.keys()];
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}
