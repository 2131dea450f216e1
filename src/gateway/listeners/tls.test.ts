// The HTTPS listener over real sockets: certificates chosen by SNI, HTTP/2 by ALPN through the
// same gateway handler (routing by :authority, bodies without content-length, the request
// timeout), HTTP/1.1 beside it, and a graceful close.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type ClientHttp2Session, connect as connectHttp2, constants } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWebSocket, startWebSocketEcho } from '../../../test/support/websocket.ts';
import type { TlsSettings } from '../../shared/gateway-settings.ts';
import type { EchoReply } from '../echo.ts';
import { createGateway, type Gateway } from '../gateway.ts';
import { type RequestRecord, requestChannel } from '../observe.ts';
import type { RunningServer } from '../server.ts';
import { api, route, snapshot, startUpstream } from '../testing/fixtures.ts';
import { certificateNames, loadCertificates } from './certificates.ts';
import { startTlsGatewayServer } from './tls.ts';

let dir: string;
let upstream: RunningServer;
let gateway: Gateway;
let certs: { a: TlsSettings['certificates'][number]; b: TlsSettings['certificates'][number] };

/** A throwaway self-signed EC certificate; `names` go into subjectAltName (none: CN only). */
function certificate(name: string, cn: string, names: string[]) {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  args.push('-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${cn}`);
  if (names.length > 0) args.push('-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`);
  execFileSync('openssl', args, { stdio: 'ignore' });
  return { certFile, keyFile };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'turnpike-tls-'));
  certs = {
    a: certificate('a', 'a.test', ['a.test', 'api.example.com']),
    b: certificate('b', 'b.test', ['b.test', '*.b.test']),
  };
  upstream = await startUpstream();
  gateway = createGateway();
  const loaded = gateway.load(
    snapshot(upstream.url, {
      apis: [
        api({ id: 'api_named', basePath: '/', hosts: ['api.example.com'], routes: [route('/*', [], 'n')] }),
        api({ id: 'api_open', basePath: '/open', routes: [route('/*', [], 'o')] }),
      ],
    }),
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

async function withListener(
  run: (server: RunningServer<import('node:http2').Http2SecureServer>) => Promise<void>,
  limits = {},
): Promise<void> {
  const server = await startTlsGatewayServer(
    gateway,
    { host: '127.0.0.1', port: 0, certificates: [certs.a, certs.b] },
    limits,
  );
  try {
    await run(server);
  } finally {
    await server.close(200);
  }
}

/** The CN of the certificate the listener presents for `servername` (none: no SNI). */
async function presented(port: number, servername: string | undefined): Promise<string> {
  const socket = connectTls({ port, host: '127.0.0.1', servername, rejectUnauthorized: false });
  await once(socket, 'secureConnect');
  const subject = socket.getPeerCertificate().subject?.CN;
  socket.destroy();
  return String(subject);
}

function h2(port: number): ClientHttp2Session {
  return connectHttp2(`https://127.0.0.1:${port}`, { rejectUnauthorized: false, servername: 'a.test' });
}

/** One HTTP/2 exchange: status, headers and body text. */
async function h2Request(
  session: ClientHttp2Session,
  headers: Record<string, string | string[]>,
  body?: (stream: import('node:http2').ClientHttp2Stream) => void,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const stream = session.request(headers, { endStream: body === undefined });
  body?.(stream);
  const [response] = (await once(stream, 'response')) as [Record<string, unknown>];
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { status: Number(response[':status']), headers: response, text: Buffer.concat(chunks).toString() };
}

describe('certificates', () => {
  it('reads the names of a certificate, wildcards included, and the CN without alt names', () => {
    expect(certificateNames(new X509Certificate(readFileSync(certs.b.certFile)))).toEqual([
      'b.test',
      '*.b.test',
    ]);
    const bare = certificate('bare', 'Bare.Test', []);
    expect(certificateNames(new X509Certificate(readFileSync(bare.certFile)))).toEqual(['bare.test']);
  });

  it('refuses a key that does not fit its certificate', () => {
    expect(() => loadCertificates([{ certFile: certs.a.certFile, keyFile: certs.b.keyFile }])).toThrow(
      /is not the key of/,
    );
    expect(() => loadCertificates([])).toThrow(/at least one certificate/);
  });

  it('presents the certificate for the SNI name: exact, then wildcard, then the first', async () => {
    await withListener(async (server) => {
      expect(await presented(server.port, 'a.test')).toBe('a.test');
      expect(await presented(server.port, 'api.example.com')).toBe('a.test');
      expect(await presented(server.port, 'b.test')).toBe('b.test');
      expect(await presented(server.port, 'shop.b.test')).toBe('b.test');
      expect(await presented(server.port, 'SHOP.B.TEST')).toBe('b.test');
      expect(await presented(server.port, 'x.shop.b.test')).toBe('a.test'); // one label only
      expect(await presented(server.port, 'other.test')).toBe('a.test');
      expect(await presented(server.port, undefined)).toBe('a.test');
    });
  });
});

describe('HTTP/2 by ALPN', () => {
  it('serves HTTP/2 through the gateway, routing by :authority', async () => {
    await withListener(async (server) => {
      const session = h2(server.port);
      try {
        const { status, headers, text } = await h2Request(session, {
          ':path': '/hello?x=1',
          ':authority': 'api.example.com',
          cookie: ['a=1', 'b=2'],
        });
        expect(session.alpnProtocol).toBe('h2');
        expect(status).toBe(200);
        expect(headers['x-request-id']).toBeDefined();
        const seen = JSON.parse(text) as EchoReply;
        expect(seen.path).toBe('/hello');
        expect(seen.headers.host).toBe(new URL(upstream.url).host);
        expect(seen.headers['x-forwarded-proto']).toBe('https');
        expect(seen.headers['x-forwarded-host']).toBe('api.example.com');
        expect(seen.headers.forwarded).toBe('for=127.0.0.1;proto=https;host=api.example.com');
        expect(seen.headers.cookie).toBe('a=1; b=2');
        expect(Object.keys(seen.headers).filter((name) => name.startsWith(':'))).toEqual([]);
      } finally {
        session.close();
      }
    });
  });

  it('records the client address of an HTTP/2 request once it is done', async () => {
    const records: RequestRecord[] = [];
    const listener = (record: unknown) => records.push(record as RequestRecord);
    requestChannel.subscribe(listener);
    try {
      await withListener(async (server) => {
        const session = h2(server.port);
        try {
          const { status } = await h2Request(session, { ':path': '/hello', ':authority': 'api.example.com' });
          expect(status).toBe(200);
        } finally {
          session.close();
        }
      });
    } finally {
      requestChannel.unsubscribe(listener);
    }
    expect(records.map((r) => [r.status, r.clientIp])).toEqual([[200, '127.0.0.1']]);
  });

  it('answers problems over HTTP/2 as over HTTP/1.1', async () => {
    await withListener(async (server) => {
      const session = h2(server.port);
      try {
        const { status, headers, text } = await h2Request(session, {
          ':path': '/nowhere',
          ':authority': 'elsewhere.test',
        });
        expect(status).toBe(404);
        expect(headers['content-type']).toBe('application/problem+json');
        expect(JSON.parse(text).code).toBe('route-not-found');
      } finally {
        session.close();
      }
    });
  });

  it('streams request bodies with and without content-length', async () => {
    await withListener(async (server) => {
      const session = h2(server.port);
      try {
        const body = 'x'.repeat(100_000);
        const unsized = await h2Request(session, { ':method': 'POST', ':path': '/open/up' }, (stream) => {
          stream.write(body.slice(0, 50_000));
          setTimeout(() => stream.end(body.slice(50_000)), 50);
        });
        expect(unsized.status).toBe(200);
        expect((JSON.parse(unsized.text) as EchoReply).bodyBytes).toBe(100_000);
        const sized = await h2Request(
          session,
          { ':method': 'POST', ':path': '/open/up', 'content-length': String(body.length) },
          (stream) => stream.end(body),
        );
        expect((JSON.parse(sized.text) as EchoReply).bodyBytes).toBe(100_000);
      } finally {
        session.close();
      }
    });
  });

  it('answers 408 to a body still arriving after the request timeout', async () => {
    await withListener(
      async (server) => {
        const session = h2(server.port);
        try {
          const started = Date.now();
          const { status, text } = await h2Request(
            session,
            { ':method': 'POST', ':path': '/open/slow' },
            (stream) => {
              stream.write('a');
              stream.on('error', () => {});
            },
          );
          expect(status).toBe(408);
          expect(JSON.parse(text).code).toBe('request-timeout');
          expect(Date.now() - started).toBeLessThan(2_000);
        } finally {
          session.destroy();
        }
      },
      { requestTimeoutMs: 400, headersTimeoutMs: 400 },
    );
  });

  it('resets a stream whose headers pass the header limit', async () => {
    await withListener(
      async (server) => {
        const session = h2(server.port);
        session.on('error', () => {});
        try {
          await once(session, 'remoteSettings');
          const stream = session.request({ ':path': '/open/x', 'x-big': 'a'.repeat(4_000) });
          stream.on('error', () => {});
          stream.end();
          await new Promise((resolve) => stream.on('close', resolve));
          expect(stream.rstCode).toBe(constants.NGHTTP2_ENHANCE_YOUR_CALM);
        } finally {
          session.destroy();
        }
      },
      { maxHeaderBytes: 2_048 },
    );
  });
});

describe('HTTP/1.1 on the TLS listener', () => {
  it('serves HTTP/1.1 clients beside HTTP/2 ones', async () => {
    await withListener(async (server) => {
      const dispatcher = new Agent({ connect: { rejectUnauthorized: false, servername: 'a.test' } });
      try {
        const response = await request(`${server.url}/open/x`, { dispatcher });
        expect(response.statusCode).toBe(200);
        const seen = (await response.body.json()) as EchoReply;
        expect(seen.headers['x-forwarded-proto']).toBe('https');
      } finally {
        await dispatcher.close();
      }
    });
  });

  it('answers 431 to an HTTP/1.1 head above the header limit', async () => {
    await withListener(
      async (server) => {
        const socket = connectTls({
          port: server.port,
          host: '127.0.0.1',
          rejectUnauthorized: false,
          ALPNProtocols: ['http/1.1'],
        });
        socket.write(`GET /open/x HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(4_000)}\r\n\r\n`);
        const chunks: Buffer[] = [];
        for await (const chunk of socket) chunks.push(chunk as Buffer);
        expect(Buffer.concat(chunks).toString()).toMatch(/^HTTP\/1\.1 431 /);
      },
      { maxHeaderBytes: 2_048 },
    );
  });

  it('closes at once when idle, and cuts open sessions after the grace', async () => {
    const server = await startTlsGatewayServer(gateway, {
      host: '127.0.0.1',
      port: 0,
      certificates: [certs.a],
    });
    const session = h2(server.port);
    session.on('error', () => {});
    await h2Request(session, { ':path': '/open/x' });
    const started = Date.now();
    await server.close(2_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    session.destroy();
  });
});

describe('WebSocket on the TLS listener', () => {
  it('proxies wss:// handshakes and frames', async () => {
    const echo = await startWebSocketEcho();
    const wsGateway = createGateway();
    const loaded = wsGateway.load(snapshot(echo.url));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
    const server = await startTlsGatewayServer(wsGateway, {
      host: '127.0.0.1',
      port: 0,
      certificates: [certs.b],
    });
    try {
      const client = await connectWebSocket({
        port: server.port,
        path: '/live',
        tls: { servername: 'x.b.test' },
      });
      client.sendText('over tls');
      expect(await client.nextText()).toBe('over tls');
      expect(echo.handshakes.at(-1)?.headers['x-forwarded-proto']).toBe('https');
      await client.close();
    } finally {
      await server.close(200);
      await wsGateway.close();
      await echo.close();
    }
  });
});
