// The access log: one JSON line per request, from the request channel, to stdout or a file. The
// line is written by hand (a third of what a generic JSON logger costs) and lines are gathered
// into batched writes (line-writer.ts), so a request never waits for the disk. Headers and
// query strings are never in a line: the record carries neither, and the path loses anything
// after "#" and the userinfo of an absolute form.
import { channel } from 'node:diagnostics_channel';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { type RequestRecord, requestChannel } from '../observe.ts';
import { LineWriter } from './line-writer.ts';

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

/** Past this many bytes waiting (the destination does not keep up), new lines are dropped. */
const maxPendingBytes = 16 * 1024 * 1024;

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
  bytesIn: number;
  clientIp: string;
  api: string | null;
  route: string | null;
  metric: string | null;
  applicationId: string | null;
  accountId: string | null;
  planId: string | null;
  endUser: string | null;
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

// Milliseconds to three decimals without formatting a double (a tenth of a line's cost):
// whole microseconds, then the thousandths from a table.
const thousandths = Array.from({ length: 1000 }, (_, i) => `.${String(i).padStart(3, '0')}`);
function formatMs(ms: number): string {
  const us = Math.round(ms * 1000);
  if (!(us >= 0 && us < 2 ** 31)) return String(Math.round(ms * 1000) / 1000);
  const whole = Math.floor(us / 1000);
  return `${whole}${thousandths[us - whole * 1000]}`;
}

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

/**
 * One line, fields in the documented order. Only the path and the host come from the client as
 * text and are escaped; request ids, methods, addresses, names and ids are validated on the way
 * in (no quotes, no backslashes, no control characters) and go in as they are.
 */
export function formatAccessLogLine(r: RequestRecord): string {
  const consumer = r.consumer;
  return (
    `{"level":30${isoTime()},"log":"access","requestId":"${r.requestId}","method":"${r.method}"` +
    `,"path":${JSON.stringify(loggablePath(r.path))},"host":${JSON.stringify(r.host)}` +
    `,"status":${r.status},"durationMs":${formatMs(r.durationMs)}` +
    `,"upstreamMs":${r.upstreamMs === undefined ? 'null' : formatMs(r.upstreamMs)},"bytes":${r.bytesSent}` +
    `,"bytesIn":${r.bytesReceived}` +
    `,"clientIp":"${r.clientIp}","api":${r.api === undefined ? 'null' : `"${r.api.name}"`}` +
    `,"route":${r.route === undefined ? 'null' : `"${r.route.name}"`}` +
    `,"metric":${r.route === undefined ? 'null' : JSON.stringify(r.route.metric)}` +
    `,"applicationId":${consumer === undefined ? 'null' : `"${consumer.applicationId}"`}` +
    `,"accountId":${consumer === undefined ? 'null' : `"${consumer.accountId}"`}` +
    `,"planId":${consumer?.planId === undefined ? 'null' : `"${consumer.planId}"`}` +
    // A token's subject is the issuer's text: escaped.
    `,"endUser":${consumer?.subject === undefined ? 'null' : JSON.stringify(consumer.subject)}` +
    `,"aborted":${r.aborted}}\n`
  );
}

/**
 * Why an access log file cannot be written, or undefined when it can: checked once in the main
 * process, so a bad path is a one-line startup error rather than every worker failing alike.
 */
export function accessLogFileProblem(file: string): string | undefined {
  try {
    mkdirSync(dirname(file), { recursive: true });
    closeSync(openSync(file, 'a'));
    return undefined;
  } catch (error) {
    return `cannot write the access log ${file}: ${(error as Error).message}`;
  }
}

/** Resolves once the destination is open; rejects when it cannot be opened. */
export async function createAccessLog(options: AccessLogOptions): Promise<AccessLog> {
  let warned = false;
  const onError =
    options.onError ??
    ((error: Error) => {
      if (warned) return;
      warned = true;
      process.stderr.write(`turnpike: the access log could not be written: ${error.message}\n`);
    });
  const writer = await LineWriter.open(options.destination, {
    maxPendingBytes,
    onError,
    onDrop: () => {
      if (accessLogDropChannel.hasSubscribers) accessLogDropChannel.publish(undefined);
    },
  });
  const onRequest = (message: unknown) => writer.write(formatAccessLogLine(message as RequestRecord));
  requestChannel.subscribe(onRequest);

  let closing: Promise<void> | undefined;
  return {
    reopen() {
      if (closing === undefined) writer.reopen();
    },
    get dropped() {
      return writer.dropped;
    },
    close() {
      closing ??= (async () => {
        requestChannel.unsubscribe(onRequest);
        await writer.close(closeTimeoutMs);
      })();
      return closing;
    },
  };
}
