// The access log: one JSON line per request, from the request channel, through pino to stdout or
// a file. Writes are buffered and asynchronous (flushed at least once a second, and on exit), so
// a request never waits for the disk. Headers and query strings are never in a line: the record
// carries neither, and the path loses anything after "#" and the userinfo of an absolute form.
import { channel } from 'node:diagnostics_channel';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import { type RequestRecord, requestChannel } from '../observe.ts';

export interface AccessLogOptions {
  /** "stdout", or the path of a file to append to (it and its directory are created). */
  destination: 'stdout' | string;
  /** Called when a write fails (disk full, a closed pipe); default: one warning on stderr. */
  onError?: (error: Error) => void;
}

export interface AccessLog {
  /** Opens the file again under its name, after a log rotation moved it; nothing for stdout. */
  reopen(): void;
  /** Lines dropped because the destination did not keep up and the buffer reached its cap. */
  readonly dropped: number;
  /** Stops listening, writes what is buffered and closes the file. */
  close(): Promise<void>;
}

// Writes are asynchronous, one at a time, each holding whole lines. Several worker processes
// share stdout, usually a pipe, where only writes of up to 4096 bytes (PIPE_BUF) are atomic, so
// stdout gets 4 KiB writes and workers' lines never interleave. A file is opened by each worker in
// append mode, where a write lands whole at any size: 16 KiB writes there raise the throughput
// ceiling (one write per event-loop turn) fourfold, at some cost per line, because sonic-boom
// measures its pending chunk on every line. Lines wait at most a second (periodicFlush) when
// traffic is light; past 16 MiB waiting (maxLength) new lines are dropped and counted.
const buffering = { sync: false, periodicFlush: 1000, maxLength: 16 * 1024 * 1024 };
const stdoutBuffering = { ...buffering, minLength: 2048, maxWrite: 4096 };
const fileBuffering = { ...buffering, minLength: 8192, maxWrite: 16_384 };

/** How long close() waits for the buffered lines to be written. */
const closeTimeoutMs = 5000;

/** Published once per line dropped because the destination did not keep up. */
export const accessLogDropChannel = channel('turnpike:gateway:access-log-drop');

/** The line's fields after `level`, `time` and `log` ("access"), in this order. */
export interface AccessLogLine {
  requestId: string;
  method: string;
  path: string;
  host: string;
  status: number;
  durationMs: number;
  upstreamMs: number | null;
  bytes: number;
  clientIp: string;
  api: string | null;
  route: string | null;
  applicationId: string | null;
  accountId: string | null;
  planId: string | null;
  aborted: boolean;
}

/** The path without a fragment, and without the userinfo an absolute-form target may carry. */
export function loggablePath(path: string): string {
  const hash = path.indexOf('#');
  const p = hash === -1 ? path : path.slice(0, hash);
  if (p.charCodeAt(0) === 47 /* "/" */) return p;
  const scheme = p.indexOf('://');
  if (scheme === -1) return p;
  const slash = p.indexOf('/', scheme + 3);
  const at = p.lastIndexOf('@', slash === -1 ? p.length : slash);
  return at > scheme ? p.slice(0, scheme + 3) + p.slice(at + 1) : p;
}

const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;

// Formatting a date is a third of the cost of a line (measured ≈0.8 of 2.5 µs); requests that
// finish in the same millisecond share one.
let lastMs = 0;
let lastTime = '';
function isoTime(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

export function accessLogLine(r: RequestRecord): AccessLogLine {
  const consumer = r.consumer;
  return {
    requestId: r.requestId,
    method: r.method,
    path: loggablePath(r.path),
    host: r.host,
    status: r.status,
    durationMs: roundMs(r.durationMs),
    upstreamMs: r.upstreamMs === undefined ? null : roundMs(r.upstreamMs),
    bytes: r.bytesSent,
    clientIp: r.clientIp,
    api: r.api === undefined ? null : r.api.name,
    route: r.route === undefined ? null : r.route.name,
    applicationId: consumer === undefined ? null : consumer.applicationId,
    accountId: consumer === undefined ? null : consumer.accountId,
    planId: consumer?.planId ?? null,
    aborted: r.aborted,
  };
}

function openDestination(destination: string) {
  if (destination === 'stdout') return pino.destination({ dest: 1, ...stdoutBuffering });
  // Tried synchronously first, so a path that cannot be written is refused here, whole, rather
  // than failing later inside the stream (which pino would also try to flush at exit).
  mkdirSync(dirname(destination), { recursive: true });
  closeSync(openSync(destination, 'a'));
  return pino.destination({ dest: destination, ...fileBuffering });
}

/** Resolves once the destination is open; rejects when it cannot be opened. */
export async function createAccessLog(options: AccessLogOptions): Promise<AccessLog> {
  const stream = openDestination(options.destination);
  let warned = false;
  const onError =
    options.onError ??
    ((error: Error) => {
      if (warned) return;
      warned = true;
      process.stderr.write(`turnpike: the access log could not be written: ${error.message}\n`);
    });
  let opening: ((error: Error) => void) | undefined;
  // pino re-emits an error it does not handle itself; report each one once.
  let lastError: unknown;
  let broken = false;
  stream.on('error', (error: Error & { code?: string }) => {
    if (error === lastError) return;
    lastError = error;
    if (opening !== undefined) return opening(error);
    if (error.code === 'EPIPE') broken = true; // pino stops writing to a closed pipe
    onError(error);
  });
  await new Promise<void>((resolve, reject) => {
    opening = reject;
    stream.once('ready', () => resolve());
  });
  opening = undefined;
  let dropped = 0;
  stream.on('drop', () => {
    dropped++;
    if (accessLogDropChannel.hasSubscribers) accessLogDropChannel.publish(undefined);
  });

  const logger = pino({ base: { log: 'access' }, timestamp: isoTime, level: 'info' }, stream);
  const onRequest = (message: unknown) => logger.info(accessLogLine(message as RequestRecord));
  requestChannel.subscribe(onRequest);

  let closing: Promise<void> | undefined;
  return {
    reopen() {
      if (options.destination !== 'stdout' && closing === undefined && !broken)
        stream.reopen(options.destination);
    },
    get dropped() {
      return dropped;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        requestChannel.unsubscribe(onRequest);
        if (broken) {
          resolve();
          return;
        }
        // A destination that fails for good (a full disk) never finishes; shutdown does not wait.
        const giveUp = setTimeout(resolve, closeTimeoutMs);
        giveUp.unref();
        stream.once('close', () => {
          clearTimeout(giveUp);
          resolve();
        });
        stream.end();
      });
      return closing;
    },
  };
}
