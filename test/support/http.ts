// Raw HTTP calls to the gateway with node:http (so tests may set any header, Host included), and
// the check every gateway error must pass: problem+json with the request id of the response.
import { type IncomingMessage, request } from 'node:http';
import { connect } from 'node:net';
import { expect } from 'vitest';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies of many shapes.
  json(): any;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Reads a node:http response whole. */
export function readResponse(res: IncomingMessage): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('error', reject);
    res.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body,
        text,
        json: () => JSON.parse(text),
      });
    });
  });
}

/** `url` is absolute; a `host` header in `options.headers` replaces the one from the URL. */
export function send(url: string, options: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) =>
      readResponse(res).then(resolve, reject),
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A gateway error: status, problem+json, stable code and type, and `requestId` = X-Request-Id. */
// biome-ignore lint/suspicious/noExplicitAny: problem bodies are read field by field.
export function expectProblem(response: RawResponse, status: number, code: string): any {
  expect(response.status, response.text).toBe(status);
  expect(response.headers['content-type'] ?? '(no content-type)', 'content-type').toMatch(
    /^application\/problem\+json(;|$)/,
  );
  const body = response.json();
  expect(body).toMatchObject({ status, code, type: `https://turnpike.dev/errors/${code}` });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(body.requestId).toBeTruthy();
  expect(body.requestId).toBe(response.headers['x-request-id']);
  return body;
}

/** Polls `check` until it returns true or `ms` pass; returns the milliseconds it took. */
export async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    const spent = performance.now() - started;
    if (spent > ms) throw new Error(`not true within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Writes `text` as-is on a new connection and parses the first response (for malformed requests). */
export function sendRaw(origin: string, text: string): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let data = Buffer.alloc(0);
    const finish = () => {
      socket.destroy();
      const raw = data.toString('latin1');
      const split = raw.indexOf('\r\n\r\n');
      if (split === -1) {
        reject(new Error(`no response head in ${JSON.stringify(raw)}`));
        return;
      }
      const [statusLine = '', ...lines] = raw.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      const body = data.subarray(Buffer.byteLength(raw.slice(0, split + 4), 'latin1')).subarray(0, length);
      const bodyText = body.toString('utf8');
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body,
        text: bodyText,
        json: () => JSON.parse(bodyText),
      });
    };
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const head = data.indexOf('\r\n\r\n');
      if (head === -1) return;
      const length = Number(
        /content-length: *(\d+)/i.exec(data.subarray(0, head).toString('latin1'))?.[1] ?? 0,
      );
      if (data.length >= head + 4 + length) finish();
    });
    socket.on('end', finish);
    socket.on('error', reject);
  });
}
