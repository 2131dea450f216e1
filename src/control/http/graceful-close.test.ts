import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { closeConnectionsWhenIdle } from './graceful-close.ts';

describe('closing a Fastify server with a request in flight', () => {
  it('answers that request, then closes at once instead of after the keep-alive timeout', async () => {
    const app = Fastify();
    closeConnectionsWhenIdle(app);
    app.get('/slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { ok: true };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/slow`;
    await (await fetch(url)).text(); // leaves a keep-alive connection in fetch's pool

    const inFlight = fetch(url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    const closed = app.close().then(() => performance.now() - started);
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toEqual({ ok: true });
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => resolve(Number.POSITIVE_INFINITY), 5_000),
    );
    expect(await Promise.race([closed, timeout])).toBeLessThan(2_000);
  });
});
