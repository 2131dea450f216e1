import { describe, expect, it } from 'vitest';
import { testContext } from '../test-context.ts';
import { cors } from './policy.ts';

const app = 'https://app.example.com';

function run(init: Parameters<typeof testContext>[0], config: unknown = {}) {
  const ctx = testContext(init);
  const outcome = cors.create(cors.schema.parse(config))(ctx);
  return { ctx, outcome };
}

function preflight(origin: string, method = 'PUT', extra: Record<string, string> = {}) {
  return {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': method, ...extra },
  };
}

describe('cors', () => {
  describe('preflight', () => {
    it('answers 204 with the allowed methods, origin and max age', () => {
      const { ctx, outcome } = run(preflight(app), { origins: [app] });
      expect(outcome).toEqual({
        kind: 'response',
        status: 204,
        headers: {
          'access-control-allow-origin': app,
          'access-control-allow-methods': 'GET, HEAD, PUT, PATCH, POST, DELETE',
          'access-control-max-age': '3600',
          vary: 'Origin, Access-Control-Request-Headers',
        },
      });
      // Only Vary: the answer depends on Origin, so caches must key on it (upstream Vary kept).
      expect([...ctx.responseHeaders]).toEqual([['vary', 'Origin']]);
    });

    it('answers "*" for any origin with the default config', () => {
      const { outcome } = run(preflight('https://anyone.example'));
      expect(outcome).toMatchObject({ status: 204, headers: { 'access-control-allow-origin': '*' } });
    });

    it('refuses an origin not in the list', () => {
      const { outcome } = run(preflight('https://evil.example'), { origins: [app] });
      expect(outcome).toEqual({
        kind: 'problem',
        code: 'cors-origin-denied',
        detail: 'This origin is not allowed to call this API.',
      });
    });

    it('refuses a method not in the list', () => {
      const { outcome } = run(preflight(app, 'DELETE'), { origins: [app], methods: ['GET', 'POST'] });
      expect(outcome).toMatchObject({ kind: 'problem', code: 'cors-origin-denied' });
      expect((outcome as { detail: string }).detail).toMatch(/method/);
    });

    it('compares methods case-sensitively, as browsers do', () => {
      expect(run(preflight(app, 'patch')).outcome).toMatchObject({ kind: 'problem' });
    });

    it('matches scheme and host case-insensitively and sends back the origin as received', () => {
      const { outcome } = run(preflight('HTTPS://App.Example.COM'), { origins: ['https://APP.example.com'] });
      expect(outcome).toMatchObject({
        status: 204,
        headers: { 'access-control-allow-origin': 'HTTPS://App.Example.COM' },
      });
    });

    it('matches origins exactly: another port, scheme or subdomain is another origin', () => {
      const config = { origins: [app] };
      for (const other of [
        'https://app.example.com:8443',
        'http://app.example.com',
        'https://x.app.example.com',
        'https://app.example.com.evil.example',
        'null',
      ]) {
        expect(run(preflight(other), config).outcome, other).toMatchObject({ code: 'cors-origin-denied' });
      }
    });

    it('reflects the requested headers when no headers are configured', () => {
      const requested = { 'Access-Control-Request-Headers': 'content-type, x-api-key' };
      const { outcome } = run(preflight(app, 'POST', requested));
      expect(outcome).toMatchObject({
        headers: { 'access-control-allow-headers': 'content-type, x-api-key' },
      });
    });

    it('sends the configured headers instead of reflecting', () => {
      const requested = { 'Access-Control-Request-Headers': 'x-other' };
      const { outcome } = run(preflight(app, 'POST', requested), { headers: ['Content-Type', 'X-API-Key'] });
      expect(outcome).toMatchObject({
        headers: { 'access-control-allow-headers': 'Content-Type, X-API-Key', vary: 'Origin' },
      });
    });

    it('sends back the origin, not "*", when credentials are allowed', () => {
      const { outcome } = run(preflight(app), { credentials: true });
      expect(outcome).toMatchObject({
        headers: { 'access-control-allow-origin': app, 'access-control-allow-credentials': 'true' },
      });
    });

    it('allows a private network only when configured and asked for', () => {
      const asked = preflight(app, 'GET', { 'Access-Control-Request-Private-Network': 'true' });
      const header = 'access-control-allow-private-network';
      const on = run(asked, { privateNetwork: true }).outcome as { headers: Record<string, string> };
      expect(on.headers[header]).toBe('true');
      const off = run(asked).outcome as { headers: Record<string, string> };
      expect(off.headers[header]).toBeUndefined();
      const notAsked = run(preflight(app, 'GET'), { privateNetwork: true }).outcome as {
        headers: Record<string, string>;
      };
      expect(notAsked.headers[header]).toBeUndefined();
    });

    it('sends the configured max age', () => {
      const { outcome } = run(preflight(app), { maxAgeSeconds: 0 });
      expect(outcome).toMatchObject({ headers: { 'access-control-max-age': '0' } });
    });
  });

  describe('actual request', () => {
    it('sets "*" for any origin, without Vary', () => {
      const { ctx, outcome } = run({ headers: { Origin: app } });
      expect(outcome).toBeUndefined();
      expect(Object.fromEntries(ctx.responseHeaders)).toEqual({ 'access-control-allow-origin': '*' });
    });

    it('sets the origin, Vary, credentials and exposed headers for a listed origin', () => {
      const config = { origins: [app], credentials: true, exposeHeaders: ['RateLimit', 'X-Request-Id'] };
      const { ctx, outcome } = run({ method: 'POST', headers: { Origin: app } }, config);
      expect(outcome).toBeUndefined();
      expect(Object.fromEntries(ctx.responseHeaders)).toEqual({
        'access-control-allow-origin': app,
        vary: 'Origin',
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'RateLimit, X-Request-Id',
      });
    });

    it('sends back the origin, not "*", when credentials are allowed', () => {
      const { ctx } = run({ headers: { Origin: app } }, { credentials: true });
      expect(ctx.responseHeaders.get('access-control-allow-origin')).toBe(app);
      expect(ctx.responseHeaders.get('vary')).toBe('Origin');
    });

    it('lets a disallowed origin through without any CORS header', () => {
      const { ctx, outcome } = run({ headers: { Origin: 'https://evil.example' } }, { origins: [app] });
      expect(outcome).toBeUndefined();
      // Only Vary: the answer depends on Origin, so caches must key on it (upstream Vary kept).
      expect([...ctx.responseHeaders]).toEqual([['vary', 'Origin']]);
    });

    it('treats OPTIONS without Access-Control-Request-Method as an actual request', () => {
      const { ctx, outcome } = run({ method: 'OPTIONS', headers: { Origin: app } });
      expect(outcome).toBeUndefined();
      expect(ctx.responseHeaders.get('access-control-allow-origin')).toBe('*');
    });
  });

  it('does nothing without an Origin header, preflight headers or not', () => {
    for (const init of [{}, { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'GET' } }]) {
      const { ctx, outcome } = run(init, { origins: [app] });
      expect(outcome).toBeUndefined();
      // Only Vary: the answer depends on Origin, so caches must key on it (upstream Vary kept).
      expect([...ctx.responseHeaders]).toEqual([['vary', 'Origin']]);
    }
  });

  it('is synchronous', () => {
    expect(run(preflight(app)).outcome).not.toBeInstanceOf(Promise);
    expect(run({ headers: { Origin: app } }).outcome).not.toBeInstanceOf(Promise);
  });

  describe('config', () => {
    it('accepts origins with a port, an IP address or a custom scheme', () => {
      const origins = [
        '*',
        'http://localhost:3000',
        'http://[::1]:8080',
        'http://192.0.2.7',
        'capacitor://localhost',
      ];
      expect(cors.schema.safeParse({ origins }).success).toBe(true);
    });

    it('refuses an origin with a path, a wildcard or no scheme, naming the entry', () => {
      for (const bad of [
        'https://app.example.com/',
        'https://app.example.com/api',
        'https://*.example.com',
        'app.example.com',
        'null',
        'https://user@app.example.com',
        'https://app.example.com?x=1',
      ]) {
        const result = cors.schema.safeParse({ origins: [app, bad] });
        expect(result.success, bad).toBe(false);
        expect(result.error?.issues).toMatchObject([
          { path: ['origins', 1], message: expect.stringMatching(/origin such as/) },
        ]);
      }
    });

    it('refuses a default port, which browsers never send, and a port past 65535', () => {
      const defaultPort = cors.schema.safeParse({ origins: ['https://app.example.com:443'] });
      expect(defaultPort.error?.issues).toMatchObject([
        { path: ['origins', 0], message: expect.stringMatching(/default port/) },
      ]);
      expect(cors.schema.safeParse({ origins: ['http://app.example.com:80'] }).success).toBe(false);
      expect(cors.schema.safeParse({ origins: ['http://app.example.com:443'] }).success).toBe(true);
      expect(cors.schema.safeParse({ origins: ['http://app.example.com:65536'] }).success).toBe(false);
    });

    it('refuses lower-case methods, bad header names, out-of-range max age and unknown fields', () => {
      expect(cors.schema.safeParse({ methods: ['get'] }).success).toBe(false);
      expect(cors.schema.safeParse({ headers: ['X Key'] }).success).toBe(false);
      expect(cors.schema.safeParse({ exposeHeaders: ['a:b'] }).success).toBe(false);
      expect(cors.schema.safeParse({ maxAgeSeconds: 86401 }).success).toBe(false);
      expect(cors.schema.safeParse({ maxAgeSeconds: 1.5 }).success).toBe(false);
      expect(cors.schema.safeParse({ origin: ['*'] }).success).toBe(false);
    });
  });
});
