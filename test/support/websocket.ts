// A minimal RFC 6455 client and echo server for tests, so WebSocket proxying is checked over real
// sockets without a dependency. Text and binary frames, masking, close handshake; no extensions,
// no fragmentation.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect as connectTcp, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as connectTls } from 'node:tls';

const guid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + guid)
    .digest('base64');
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

export function encodeFrame(opcode: number, payload: Buffer, mask: boolean): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const head = Buffer.alloc(2 + lengthBytes + (mask ? 4 : 0));
  head[0] = 0x80 | opcode;
  head[1] = (mask ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) head.writeUInt16BE(length, 2);
  if (lengthBytes === 8) head.writeBigUInt64BE(BigInt(length), 2);
  if (!mask) return Buffer.concat([head, payload]);
  const key = randomBytes(4);
  key.copy(head, 2 + lengthBytes);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i] = (masked[i] as number) ^ (key[i % 4] as number);
  return Buffer.concat([head, masked]);
}

/** Splits complete frames off the front of `buffer`; returns them and what is left. */
export function decodeFrames(buffer: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let at = 0;
  for (;;) {
    if (buffer.length - at < 2) break;
    const first = buffer[at] as number;
    const second = buffer[at + 1] as number;
    let length = second & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      if (buffer.length - offset < 2) break;
      length = buffer.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      if (buffer.length - offset < 8) break;
      length = Number(buffer.readBigUInt64BE(offset));
      offset += 8;
    }
    const masked = (second & 0x80) !== 0;
    const key = masked ? buffer.subarray(offset, offset + 4) : undefined;
    if (masked) offset += 4;
    if (buffer.length - offset < length) break;
    const payload = Buffer.from(buffer.subarray(offset, offset + length));
    if (key !== undefined)
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] as number) ^ (key[i % 4] as number);
    frames.push({ fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload });
    at = offset + length;
  }
  return { frames, rest: buffer.subarray(at) };
}

/** Reads frames from a socket as they come; `next()` resolves with the next one. */
class FrameReader {
  #buffer: Buffer = Buffer.alloc(0);
  readonly #frames: Frame[] = [];
  readonly #waiting: ((frame: Frame | undefined) => void)[] = [];
  #ended = false;

  constructor(socket: Duplex, initial: Buffer) {
    this.#push(initial);
    socket.on('data', (chunk: Buffer) => this.#push(chunk));
    socket.on('close', () => {
      this.#ended = true;
      for (const resolve of this.#waiting.splice(0)) resolve(undefined);
    });
  }

  #push(chunk: Buffer): void {
    const { frames, rest } = decodeFrames(Buffer.concat([this.#buffer, chunk]));
    this.#buffer = rest;
    for (const frame of frames) {
      const resolve = this.#waiting.shift();
      if (resolve) resolve(frame);
      else this.#frames.push(frame);
    }
  }

  /** The next frame, or undefined once the connection has closed. */
  next(): Promise<Frame | undefined> {
    const frame = this.#frames.shift();
    if (frame !== undefined || this.#ended) return Promise.resolve(frame);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}

export interface WebSocketEcho {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  /** The handshake requests received, in order. */
  readonly handshakes: { url: string; headers: IncomingHttpHeaders }[];
  /** Sockets of open connections (to close them from the upstream side). */
  readonly sockets: Set<Socket>;
  close(): Promise<void>;
}

/**
 * An upstream that accepts WebSocket handshakes and echoes every text and binary frame back.
 * A handshake to a path starting with /refuse gets `403` with a JSON body instead.
 */
export async function startWebSocketEcho(): Promise<WebSocketEcho> {
  const handshakes: { url: string; headers: IncomingHttpHeaders }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end('upgrade required');
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    handshakes.push({ url: req.url ?? '', headers: req.headers });
    if ((req.url ?? '').startsWith('/refuse')) {
      const body = JSON.stringify({ refused: true });
      socket.end(
        `HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nx-upstream: yes\r\n\r\n${body}`,
      );
      return;
    }
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string') {
      socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('end', () => socket.end()); // node:http leaves upgraded sockets half-open
    const protocol = req.headers['sec-websocket-protocol']?.split(',')[0]?.trim();
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n` +
        (protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : '') +
        'X-Upstream: yes\r\n\r\n',
    );
    const reader = new FrameReader(socket, head);
    void (async () => {
      for (;;) {
        const frame = await reader.next();
        if (frame === undefined) return;
        if (frame.opcode === 0x8) {
          socket.end(encodeFrame(0x8, frame.payload, false));
          return;
        }
        if (frame.opcode === 0x9) socket.write(encodeFrame(0xa, frame.payload, false));
        else if (frame.opcode === 0x1 || frame.opcode === 0x2)
          socket.write(encodeFrame(frame.opcode, frame.payload, false));
      }
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    port,
    handshakes,
    sockets,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface WebSocketClient {
  readonly socket: Duplex;
  /** The 101 response's status line and headers (lower-case names). */
  readonly status: number;
  readonly headers: Record<string, string>;
  sendText(text: string): void;
  sendBinary(data: Buffer): void;
  /** The next frame's payload as text, or undefined once the connection has closed. */
  nextText(): Promise<string | undefined>;
  next(): Promise<Frame | undefined>;
  /** Sends a close frame and waits for the connection to close. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  port: number;
  host?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Connect with TLS (HTTP/1.1 by ALPN); certificates are not verified. */
  tls?: { servername?: string };
}

/** Thrown when the server answers the handshake with something other than 101. */
export class HandshakeRefused extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;

  constructor(status: number, headers: Record<string, string>, body: string) {
    super(`handshake refused with ${status}`);
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
}

function parseHead(text: string): { status: number; headers: Record<string, string> } {
  const [statusLine = '', ...lines] = text.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers };
}

/** Opens a WebSocket connection; rejects with HandshakeRefused when the server says no. */
export async function connectWebSocket(options: ConnectOptions): Promise<WebSocketClient> {
  const host = options.host ?? '127.0.0.1';
  const socket: Duplex = options.tls
    ? connectTls({
        port: options.port,
        host,
        servername: options.tls.servername,
        rejectUnauthorized: false,
        ALPNProtocols: ['http/1.1'],
      })
    : connectTcp(options.port, host);
  await once(socket, options.tls ? 'secureConnect' : 'connect');
  const key = randomBytes(16).toString('base64');
  const headers: Record<string, string> = {
    host: `${host}:${options.port}`,
    upgrade: 'websocket',
    connection: 'Upgrade',
    'sec-websocket-key': key,
    'sec-websocket-version': '13',
    ...options.headers,
  };
  socket.write(
    `GET ${options.path ?? '/'} HTTP/1.1\r\n${Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')}\r\n`,
  );
  // Read the response head (and, for a refusal, the body until the server closes).
  let received: Buffer = Buffer.alloc(0);
  const headEnd = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end !== -1) {
        socket.off('data', onData);
        socket.off('close', onClose);
        resolve(end);
      }
    };
    const onClose = () => reject(new Error(`closed during the handshake: ${received.toString()}`));
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', reject);
  });
  const { status, headers: responseHeaders } = parseHead(received.subarray(0, headEnd).toString('latin1'));
  const rest = received.subarray(headEnd + 4);
  if (status !== 101) {
    const chunks = [rest];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    await new Promise((resolve) => socket.once('close', resolve));
    throw new HandshakeRefused(status, responseHeaders, Buffer.concat(chunks).toString());
  }
  if (responseHeaders['sec-websocket-accept'] !== acceptKey(key)) {
    socket.destroy();
    throw new Error('the server sent a wrong Sec-WebSocket-Accept');
  }
  socket.on('error', () => {});
  const reader = new FrameReader(socket, rest);
  return {
    socket,
    status,
    headers: responseHeaders,
    sendText: (text) => socket.write(encodeFrame(0x1, Buffer.from(text), true)),
    sendBinary: (data) => socket.write(encodeFrame(0x2, data, true)),
    next: () => reader.next(),
    async nextText() {
      return (await reader.next())?.payload.toString();
    },
    async close() {
      const closed = once(socket, 'close');
      socket.write(encodeFrame(0x8, Buffer.from([0x03, 0xe8]), true));
      await closed;
    },
  };
}
