// Test support for the counter stores: stores on the development machine's Redis under a key
// prefix of their own (deleted afterwards), and a relay that makes that Redis hang on demand.
// Like the PostgreSQL tests, these need the server: without Redis they fail, they do not skip.
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { RedisCounterStore, type RedisCounterStoreOptions } from './redis-store.ts';

export const testRedisUrl = process.env.TURNPIKE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestRedis {
  /** Unique to this file's run, so runs on a shared Redis never see each other's counters. */
  readonly prefix: string;
  /** A plain connection, to look at keys. */
  readonly admin: () => Redis;
  /** A connected store under the prefix; errors it reports fail the test unless `onError` is given. */
  open(options?: RedisCounterStoreOptions): Promise<RedisCounterStore>;
  /** Redis's clock, in epoch ms. */
  time(): Promise<number>;
}

/** Registers the hooks of a suite on Redis: connect first, check for errors after each test, clean up. */
export function useTestRedis(): TestRedis {
  const prefix = `turnpike:test:${randomBytes(6).toString('hex')}:`;
  const errors: Error[] = [];
  let admin: Redis | undefined;
  const connection = () => {
    if (admin === undefined) throw new Error('useTestRedis: used outside a test');
    return admin;
  };
  beforeAll(async () => {
    admin = new Redis(testRedisUrl);
    await admin.ping();
  });
  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    const keys = await connection().keys(`${prefix}*`);
    if (keys.length > 0) await connection().del(...keys);
    await connection().quit();
  });
  return {
    prefix,
    admin: connection,
    async open(options = {}) {
      // A generous timeout: these tests are about counting, not about a busy machine's latency.
      const store = new RedisCounterStore({
        url: testRedisUrl,
        prefix,
        timeoutMs: 2000,
        onError: (error) => errors.push(error),
        ...options,
      });
      expect(await store.ready()).toBe(true);
      return store;
    },
    async time() {
      const [seconds, micros] = await connection().time();
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    },
  };
}

/** A TCP relay to Redis that can stop passing the client's bytes on: Redis, as seen, hangs. */
export async function stallingProxy(redisUrl: string) {
  const redis = new URL(redisUrl);
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(redis.port || 6379), redis.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    stall: () => {
      for (const client of clients) client.pause();
    },
    resume: () => {
      for (const client of clients) client.resume();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
