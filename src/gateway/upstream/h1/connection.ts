// One keep-alive HTTP/1.1 connection to an upstream: writes a request head as one string, streams
// the request body with backpressure (as it came, or chunked), and parses the response with
// Node's llhttp. One request at a time, never pipelined. A connection is used again only after a
// response that completed cleanly, whose request body was sent whole, that did not ask to close;
// after a parse error, a timeout or an abort the socket is destroyed.
import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { reportError } from '../../diagnostics.ts';
import {
  HTTPParserError,
  type UpstreamController,
  UpstreamError,
  type UpstreamHandler,
  type UpstreamRequest,
} from './dispatch.ts';
import { HTTPParser, type NativeParser } from './llhttp.ts';
import type { RequestHead } from './request-head.ts';

/** What a connection needs of its pool. */
export interface ConnectionOwner {
  readonly host: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  readonly maxHeaderSize: number;
  /** The connection finished a request and may take another. */
  release(connection: H1Connection): void;
  /** The connection is closed for good. */
  forget(connection: H1Connection): void;
}

const closedBeforeAnswer = 'the upstream closed the connection before the response was complete';

// Where the connection's request is: none (or its response is complete), waiting for the
// response head, reading the response body.
const Phase = { None: 0, Head: 1, Body: 2 } as const;

/** One request on a connection; it is the controller the handler gets. */
export class H1Call implements UpstreamController {
  readonly handler: UpstreamHandler;
  readonly request: UpstreamRequest;
  readonly head: string;
  readonly chunked: boolean;
  connection: H1Connection | null = null;
  done = false;
  /** The handler asked for no more body until it resumes. */
  paused = false;
  /** The whole request body has been written (or there was none). */
  bodySent: boolean;
  constructor(request: UpstreamRequest, handler: UpstreamHandler, head: RequestHead) {
    this.request = request;
    this.handler = handler;
    this.head = head.head;
    this.chunked = head.chunked;
    this.bodySent = request.body === null;
  }
  abort(reason: Error): void {
    if (!this.done) this.connection?.fail(this, reason);
  }
  pause(): void {
    if (this.done || this.paused) return;
    this.paused = true;
    this.connection?.stopReading();
  }
  resume(): void {
    if (this.done || !this.paused) return;
    this.paused = false;
    this.connection?.resume(this);
  }
}

export class H1Connection {
  readonly socket: Socket;
  readonly #owner: ConnectionOwner;
  readonly #parser: NativeParser;
  #connected = false;
  #closed = false;
  /** Inside the parser: its callbacks run, and it must not be freed. */
  #executing = false;
  /** The parser reads the socket's handle itself (Node's own HTTP server does the same). */
  #handle: ReadingHandle | undefined;
  /** A response began that nobody asked for: the connection is closed after this read. */
  #stray = false;
  call: H1Call | null = null;
  /** performance.now() when it last went idle. */
  idleSince = 0;
  /** The upstream's keep-alive hint, or Infinity. */
  keepAliveMs = Number.POSITIVE_INFINITY;
  #phase: number = Phase.None;
  #informational = false;
  /** The response allows another request on this connection. */
  #reusable = false;
  /** The connection is back in its pool, or closed: it is settled until the next start(). */
  #settled = true;
  #headers: string[] = [];
  /** Body chunks parsed while the handler had paused, and whether the response ended meanwhile. */
  #held: Buffer[] = [];
  #heldEnd = false;
  // One timer per connection, rearmed only when a deadline comes earlier than it fires.
  #deadline = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = 0;
  #connectTimer: NodeJS.Timeout | undefined;
  #body: Readable | null = null;
  #chunked = false;

  constructor(owner: ConnectionOwner) {
    this.#owner = owner;
    const socket = connect({ host: owner.host, port: owner.port, noDelay: true, keepAlive: true });
    this.socket = socket;
    const parser = new HTTPParser();
    parser.initialize(HTTPParser.RESPONSE, {}, owner.maxHeaderSize, HTTPParser.kLenientNone);
    parser[HTTPParser.kOnMessageBegin] = () => this.#onMessageBegin();
    parser[HTTPParser.kOnHeaders] = (headers: string[]) => {
      for (const item of headers) this.#headers.push(item);
    };
    parser[HTTPParser.kOnHeadersComplete] = (
      _major: number,
      _minor: number,
      headers: string[] | undefined,
      _method: unknown,
      _url: unknown,
      statusCode: number,
      _statusMessage: string,
      upgrade: boolean,
      shouldKeepAlive: boolean,
    ) => this.#onHead(headers, statusCode, upgrade, shouldKeepAlive);
    parser[HTTPParser.kOnBody] = (chunk: Buffer) => this.#onBody(chunk);
    parser[HTTPParser.kOnMessageComplete] = () => this.#onComplete();
    this.#parser = parser;
    this.#connectTimer = setTimeout(() => this.#onConnectTimeout(), owner.connectTimeoutMs);
    this.#connectTimer.unref();
    parser[HTTPParser.kOnExecute] = (result: number | Error) => this.#afterExecute(result);
    socket.on('connect', () => this.#onConnect());
    // Only while the parser does not read the handle itself (see #onConnect).
    socket.on('data', (data: Buffer) => this.#onData(data));
    socket.on('drain', () => this.#body?.resume());
    socket.on('error', (error: Error) => this.#onClose(error));
    socket.on('close', () => this.#onClose(undefined));
    socket.once('close', () => setImmediate(freeParser, parser, this.#handle !== undefined));
  }

  /** Starts a request on this connection (idle, or still connecting). */
  start(call: H1Call): void {
    this.call = call;
    call.connection = this;
    this.#reusable = false;
    this.#settled = false;
    this.#stray = false;
    try {
      call.handler.onRequestStart?.(call, undefined);
    } catch (error) {
      this.fail(call, asError(error));
    }
    if (call.done) return; // aborted at once
    if (this.#connected) this.#send(call);
  }

  /** Ends `call` with `error` (an abort, a timeout, a failure); the socket is not used again. */
  fail(call: H1Call, error: Error): void {
    if (call.done || this.call !== call) return;
    call.done = true;
    this.call = null;
    this.#phase = Phase.None;
    this.#held = [];
    this.#detachBody();
    this.destroy();
    try {
      call.handler.onResponseError?.(call, error);
    } catch (thrown) {
      reportError('-', 'upstream', thrown);
    }
  }

  /** Closes the connection; a request still on it fails. */
  destroy(): void {
    if (this.#closed) return;
    const call = this.call;
    if (call !== null && !call.done) {
      this.fail(call, new UpstreamError('TP_UPSTREAM_CLOSED', 'the connection to the upstream was closed'));
      return;
    }
    this.#closed = true;
    this.#settled = true;
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#timer);
    this.socket.destroy();
    this.#owner.forget(this);
  }

  /** Stops reading the upstream until startReading(): the handler is slow to take the body. */
  stopReading(): void {
    const handle = this.#handle;
    if (handle === undefined) this.socket.pause();
    else if (handle.reading && !this.#closed) {
      handle.reading = false;
      handle.readStop();
    }
  }

  #startReading(): void {
    const handle = this.#handle;
    if (handle === undefined) {
      if (this.socket.isPaused()) this.socket.resume();
    } else if (!handle.reading && !this.#closed) {
      handle.reading = true;
      handle.readStart();
    }
  }

  /** The handler resumed: what was held goes to it first, then the socket is read again. */
  resume(call: H1Call): void {
    if (this.call !== call) return;
    const held = this.#held;
    while (held.length > 0 && !call.paused && !call.done) this.#deliver(call, held.shift() as Buffer);
    if (call.paused || call.done) return;
    if (this.#heldEnd) {
      this.#heldEnd = false;
      this.#complete(call);
      if (!this.#executing) this.#settle();
      return;
    }
    if (this.#phase === Phase.Body) this.#arm(call.request.bodyTimeout);
    this.#startReading();
  }

  #onConnect(): void {
    this.#connected = true;
    // Before reading starts: from now on the C++ parser takes every read straight from the handle.
    const handle = (this.socket as unknown as { _handle?: ReadingHandle | null })._handle;
    if (handle?.isStreamBase === true && handle._consumed !== true) {
      handle._consumed = true;
      this.#parser.consume(handle);
      this.#handle = handle;
    }
    clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    const call = this.call;
    if (call !== null && !call.done) this.#send(call);
  }

  #onConnectTimeout(): void {
    const error = new UpstreamError('TP_UPSTREAM_CONNECT_TIMEOUT', 'connecting to the upstream timed out');
    if (this.call !== null) this.fail(this.call, error);
    else this.destroy();
  }

  #send(call: H1Call): void {
    this.#phase = Phase.Head;
    // The response timeout counts from the request's end; while a body uploads, from its last chunk.
    this.#arm(call.request.headersTimeout);
    const body = call.request.body;
    if (body === null) queueHead(this.socket, call.head);
    else {
      this.socket.write(call.head, 'latin1');
      this.#attachBody(call, body);
    }
  }

  #attachBody(call: H1Call, body: Readable): void {
    if (body.destroyed || body.errored !== null || body.readableEnded) {
      // The client left (or the body was read) while policies ran: nothing more will come.
      this.fail(call, new UpstreamError('TP_UPSTREAM_CLOSED', 'the request body was no longer readable'));
      return;
    }
    this.#body = body;
    this.#chunked = call.chunked;
    body.on('data', this.#onBodyData);
    body.on('end', this.#onBodyEnd);
    body.on('error', this.#onBodyError);
    body.on('close', this.#onBodyClose);
    body.resume(); // a body limit may have paused it until now (../../body-limit.ts)
  }

  #detachBody(): void {
    const body = this.#body;
    if (body === null) return;
    this.#body = null;
    body.off('data', this.#onBodyData);
    body.off('end', this.#onBodyEnd);
    body.off('error', this.#onBodyError);
    body.off('close', this.#onBodyClose);
  }

  readonly #onBodyData = (chunk: Buffer): void => {
    const socket = this.socket;
    let ok: boolean;
    if (this.#chunked) {
      if (chunk.length === 0) return;
      socket.cork();
      socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
      socket.write(chunk);
      ok = socket.write('\r\n', 'latin1');
      socket.uncork();
    } else ok = socket.write(chunk);
    if (!ok) this.#body?.pause();
    const call = this.call;
    if (call !== null && this.#phase === Phase.Head) this.#arm(call.request.headersTimeout);
  };

  readonly #onBodyEnd = (): void => {
    const call = this.call;
    if (this.#chunked) this.socket.write('0\r\n\r\n', 'latin1');
    this.#detachBody();
    if (call === null) return;
    call.bodySent = true;
    if (this.#phase === Phase.Head) this.#arm(call.request.headersTimeout);
  };

  readonly #onBodyError = (error: Error): void => {
    if (this.call !== null) this.fail(this.call, error);
  };

  readonly #onBodyClose = (): void => {
    // The client went away before its body was complete: what was sent upstream is cut short.
    if (this.#body !== null && this.call !== null)
      this.fail(this.call, new UpstreamError('TP_UPSTREAM_CLOSED', 'the request body was cut short'));
  };

  #onData(data: Buffer): void {
    if (this.call === null) {
      // Nothing was asked: an idle connection that speaks is not to be trusted again.
      this.destroy();
      return;
    }
    this.#executing = true;
    const result = this.#parser.execute(data);
    this.#executing = false;
    if (result instanceof Error) this.#parseFailed(result);
    else this.#settle();
  }

  /** After each read the parser took from the handle itself. */
  #afterExecute(result: number | Error): void {
    this.#executing = false;
    if (result instanceof Error) this.#parseFailed(result);
    else if (this.#stray && !this.#heldEnd) this.destroy();
    else this.#settle();
  }

  /** Once the request is over: back to the pool if the connection may take another, else closed. */
  #settle(): void {
    if (this.call !== null || this.#settled) return;
    this.#settled = true;
    if (this.#reusable && !this.#closed) this.#owner.release(this);
    else this.destroy();
  }

  #parseFailed(error: Error & { code?: string; reason?: string }): void {
    const failure = new HTTPParserError(
      error.code ?? 'HPE_UNKNOWN',
      `the upstream sent a malformed response: ${error.reason ?? error.message}`,
    );
    if (this.call !== null) this.fail(this.call, failure);
    else this.destroy();
  }

  #onMessageBegin(): void {
    // A response may begin only while one is awaited (after 1xx ones, the final one): anything
    // else is the upstream speaking out of turn, and the connection is not used again.
    this.#executing = true;
    this.#headers = []; // trailers of the message before, if any, never become this one's headers
    const call = this.call;
    if (call === null || call.done || this.#phase !== Phase.Head) {
      this.#reusable = false;
      this.#stray = true;
    }
  }

  #onHead(headers: string[] | undefined, status: number, upgrade: boolean, keepAlive: boolean): number {
    this.#executing = true;
    let raw = headers;
    if (raw === undefined) {
      raw = this.#headers;
      this.#headers = [];
    }
    const call = this.call;
    if (call === null || call.done || this.#phase !== Phase.Head) {
      this.#reusable = false;
      return 1;
    }
    if (status < 200) {
      if (status === 101 || upgrade) {
        this.fail(call, new HTTPParserError('HPE_UNEXPECTED_UPGRADE', 'the upstream switched protocols'));
        return 1;
      }
      this.#informational = true; // 100 Continue, 103 Early Hints: the answer follows
      return 0;
    }
    this.#reusable = keepAlive;
    this.#readKeepAliveHint(raw);
    this.#phase = Phase.Body;
    this.#arm(call.request.bodyTimeout);
    try {
      call.handler.onResponseStart?.(call, status, raw);
    } catch (error) {
      // A handler that cannot take this answer (an HTTP/2 client refuses a status or a repeated
      // header) fails the call; thrown out of the parser, it would take the process down.
      this.fail(call, asError(error));
      return 1;
    }
    // HEAD answers carry no body whatever their Content-Length says.
    return call.request.method === 'HEAD' ? 1 : 0;
  }

  #onBody(chunk: Buffer): void {
    this.#executing = true;
    const call = this.call;
    if (call === null || call.done) return;
    if (call.paused) {
      this.#held.push(chunk);
      return;
    }
    if (call.request.bodyTimeout > 0) this.#deadline = performance.now() + call.request.bodyTimeout;
    this.#deliver(call, chunk);
  }

  #deliver(call: H1Call, chunk: Buffer): void {
    try {
      call.handler.onResponseData?.(call, chunk);
    } catch (error) {
      this.fail(call, asError(error));
    }
  }

  #onComplete(): void {
    this.#executing = true;
    this.#headers = []; // trailers: not passed on
    if (this.#informational) {
      this.#informational = false;
      return;
    }
    const call = this.call;
    if (call === null || call.done || this.#phase !== Phase.Body) {
      this.#reusable = false;
      return;
    }
    if (!call.bodySent) {
      // Answered before the request body was all sent: the rest cannot follow on this socket.
      this.#reusable = false;
      this.#detachBody();
    }
    if (call.paused) this.#heldEnd = true;
    else this.#complete(call);
  }

  #complete(call: H1Call): void {
    call.done = true;
    this.call = null;
    this.#phase = Phase.None;
    this.#startReading();
    try {
      call.handler.onResponseEnd?.(call, undefined);
    } catch (error) {
      // The response is complete; what failed is the handler's own.
      this.#reusable = false;
      reportError('-', 'upstream', error);
    }
  }

  #onClose(error: Error | undefined): void {
    if (this.#closed) return;
    this.#reusable = false;
    const call = this.call;
    if (call !== null && !call.done && this.#connected && this.#phase === Phase.Body) {
      // A body read until the connection closes ends here; anything else was cut short.
      this.#executing = true;
      const result = this.#parser.finish();
      this.#executing = false;
      if (result instanceof Error) {
        this.#parseFailed(result);
        return;
      }
      if (this.#heldEnd) return; // complete, held for a paused handler: resume() delivers it
    }
    if (this.call !== null)
      this.fail(this.call, error ?? new UpstreamError('TP_UPSTREAM_CLOSED', closedBeforeAnswer));
    else this.destroy();
  }

  #readKeepAliveHint(raw: string[]): void {
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i] as string;
      if (name.length !== 10 || name.toLowerCase() !== 'keep-alive') continue;
      const match = /timeout\s*=\s*(\d+)/i.exec(raw[i + 1] as string);
      // A second short of what the upstream says, so it never closes a socket as we send on it.
      if (match !== null) this.keepAliveMs = Number(match[1]) * 1000 - 1000;
    }
  }

  #arm(ms: number): void {
    if (ms <= 0) {
      this.#deadline = Number.POSITIVE_INFINITY;
      return;
    }
    const now = performance.now();
    this.#deadline = now + ms;
    if (this.#timer !== undefined && this.#timerAt <= this.#deadline) return;
    clearTimeout(this.#timer);
    this.#schedule(now, ms);
  }

  #schedule(now: number, ms: number): void {
    this.#timerAt = now + ms;
    this.#timer = setTimeout(this.#onTimer, ms);
    this.#timer.unref();
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    const call = this.call;
    // A paused handler is not the upstream's fault: resume() starts the body's clock again.
    if (this.#phase === Phase.None || call === null || call.paused) return;
    if (this.#deadline === Number.POSITIVE_INFINITY) return;
    const now = performance.now();
    if (now < this.#deadline) {
      this.#schedule(now, this.#deadline - now);
      return;
    }
    const error =
      this.#phase === Phase.Head
        ? new UpstreamError('TP_UPSTREAM_HEADERS_TIMEOUT', 'the upstream did not answer in time')
        : new UpstreamError('TP_UPSTREAM_BODY_TIMEOUT', 'the upstream stopped sending the response body');
    this.fail(call, error);
  };
}

// Heads of requests without a body are written after the event loop's I/O phase, together: the
// upstream is woken once for many requests rather than once for each.
let queued: (Socket | string)[] = [];
function queueHead(socket: Socket, head: string): void {
  if (queued.length === 0) setImmediate(flushHeads);
  queued.push(socket, head);
}
function flushHeads(): void {
  const batch = queued;
  queued = [];
  for (let i = 0; i < batch.length; i += 2) {
    const socket = batch[i] as Socket;
    try {
      if (!socket.destroyed) socket.write(batch[i + 1] as string, 'latin1');
    } catch (error) {
      socket.destroy(asError(error)); // its request fails on the socket's error; the others go on
    }
  }
}

function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

/** What the parser needs of a socket's handle to read it itself (Node's TCP wrap). */
interface ReadingHandle {
  isStreamBase?: boolean;
  _consumed?: boolean;
  reading: boolean;
  readStart(): number;
  readStop(): number;
}

/** Once the socket has closed and the parser's own call stack has unwound. */
function freeParser(parser: NativeParser, consumed: boolean): void {
  if (consumed) parser.unconsume();
  parser.close();
}
