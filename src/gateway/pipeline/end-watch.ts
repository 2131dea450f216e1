// Watches one request to its end for `PolicyContext.onEnd` (the request-log policy): the response
// head as sent, the body bytes written, and, when asked, the first bytes of both bodies as they
// stream. Only requests whose policy asks pay anything: the watch wraps this one response's
// writeHead, write and end (as Express's on-headers and compression do) and listens to this one
// request's body, so every way a response is written is seen: the proxied upstream answer, a
// policy's answer, and the gateway's own problem documents.
import type { ServerResponse } from 'node:http';
import type { BodyCapture, ExchangeEnd, HeaderFields } from '../../policies/context.ts';
import { reportError } from '../diagnostics.ts';
import type { Exchange } from './exchange.ts';

type Listener = (end: ExchangeEnd) => void;
type Method = (this: ServerResponse, ...args: unknown[]) => unknown;
interface Wrappable {
  writeHead: Method;
  write: Method;
  end: Method;
}

/** Keeps the first `max` bytes of a body, copied (a source may reuse its buffers), and counts all. */
class BodyPrefix {
  readonly #max: number;
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  total = 0;

  constructor(max: number) {
    this.#max = max;
  }

  add(chunk: unknown, encoding: unknown): void {
    if (typeof chunk === 'string') {
      const enc = typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8';
      this.total += Buffer.byteLength(chunk, enc);
      if (this.#kept < this.#max) this.#keep(Buffer.from(chunk, enc));
    } else if (chunk instanceof Uint8Array) {
      this.total += chunk.byteLength;
      if (this.#kept < this.#max) this.#keep(chunk);
    }
  }

  #keep(bytes: Uint8Array): void {
    const take = Math.min(bytes.byteLength, this.#max - this.#kept);
    this.#chunks.push(Buffer.from(bytes.subarray(0, take)));
    this.#kept += take;
  }

  bytes(): Uint8Array {
    return Buffer.concat(this.#chunks, this.#kept);
  }
}

/** Counts body bytes without keeping any. */
class BodyCount {
  total = 0;

  add(chunk: unknown, encoding: unknown): void {
    if (typeof chunk === 'string')
      this.total += Buffer.byteLength(
        chunk,
        typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
      );
    else if (chunk instanceof Uint8Array) this.total += chunk.byteLength;
  }
}

/** Starts watching; `listener` is called once, after the response's 'close'. */
export function watchEnd(exchange: Exchange, listener: Listener, capture: BodyCapture | undefined): void {
  const { req, res } = exchange;
  const sent = capture?.response ? new BodyPrefix(capture.maxBytes) : new BodyCount();
  let received: BodyPrefix | undefined;
  if (capture?.request && hasBody(req.headers)) {
    received = new BodyPrefix(capture.maxBytes);
    const body = received;
    // Paused first, so that listening does not start the flow before the proxy reads the body;
    // 'data' then fires for each chunk as the upstream takes it (as body-limit.ts counts).
    req.pause();
    req.on('data', (chunk: Buffer) => body.add(chunk, undefined));
  }

  let head: unknown;
  // HTTP/2's end() writes its chunk through write(): count it once.
  let ending = false;
  const wrapped = res as unknown as Wrappable;
  const { writeHead, write, end } = wrapped;
  wrapped.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    head = typeof args[1] === 'string' ? args[2] : args[1];
    return writeHead.apply(this, args);
  };
  wrapped.write = function (this: ServerResponse, ...args: unknown[]) {
    if (!ending) sent.add(args[0], args[1]);
    return write.apply(this, args);
  };
  wrapped.end = function (this: ServerResponse, ...args: unknown[]) {
    if (!ending && typeof args[0] !== 'function') sent.add(args[0], args[1]);
    ending = true;
    return end.apply(this, args);
  };

  res.once('close', () => {
    const endedAt = performance.now();
    // Never delay the socket's own close handling.
    setImmediate(() => {
      const sentAt = exchange.upstreamSentAt;
      const answeredAt = exchange.upstreamAnsweredAt;
      // A WebSocket handshake's 101 goes out raw on the socket, with only the status set here.
      const started = res.headersSent || res.writableFinished || res.statusCode === 101;
      const status = started ? res.statusCode : 499;
      // Node drops what is written for these; the count and capture saw it all the same.
      const bodyless = exchange.method === 'HEAD' || status === 204 || status === 304;
      try {
        listener({
          startedAt: performance.timeOrigin + exchange.startedAt,
          status,
          durationMs: endedAt - exchange.startedAt,
          upstreamMs: sentAt > 0 ? (answeredAt > 0 ? answeredAt : endedAt) - sentAt : undefined,
          bytesIn: declaredLength(req.headers['content-length']) ?? received?.total ?? 0,
          bytesOut: bodyless ? 0 : sent.total,
          responseHeaders: () => (started ? headersSent(res, head) : {}),
          requestBody: capture?.request ? (received?.bytes() ?? new Uint8Array()) : undefined,
          responseBody: sent instanceof BodyPrefix ? (bodyless ? new Uint8Array() : sent.bytes()) : undefined,
        });
      } catch (error) {
        reportError(exchange.requestId, 'end-listener', error);
      }
    });
  });
}

function hasBody(headers: Exchange['req']['headers']): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

function declaredLength(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const length = Number(value);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/**
 * The header fields of a sent response: those set on it (all of them on HTTP/2, whose writeHead
 * stores its fields), with those given to writeHead in their place (HTTP/1.1 sends a flat
 * [name, value, …] array without storing it).
 */
function headersSent(res: ServerResponse, given: unknown): HeaderFields {
  const fields: Record<string, string | string[] | number | undefined> = res.getHeaders();
  if (Array.isArray(given)) {
    for (let i = 0; i < given.length; i += 2) delete fields[String(given[i]).toLowerCase()];
    for (let i = 0; i + 1 < given.length; i += 2) {
      const name = String(given[i]).toLowerCase();
      const value = String(given[i + 1]);
      const current = fields[name];
      if (current === undefined) fields[name] = value;
      else if (Array.isArray(current)) current.push(value);
      else fields[name] = [String(current), value];
    }
  } else if (given !== null && typeof given === 'object') {
    for (const [name, value] of Object.entries(given)) {
      fields[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : (value as string | number);
    }
  }
  return fields;
}
