// Appends lines to a file or standard output without making anyone wait: each line is encoded
// straight into a reusable buffer, and full buffers go out in one write when 64 KiB are waiting
// (4 KiB for stdout) or 200 ms after the first line, one write in flight at a time. Each write
// costs a trip through libuv's thread pool (measured ≈20 µs of CPU), so writing per request
// would cost more than the request itself; encoding per line into a buffer (rather than joining
// strings and encoding the batch) spreads the work evenly instead of in one long pause per batch.
// Past a cap, new lines are dropped and counted; what is waiting at process exit is written
// synchronously then.
import { closeSync, mkdirSync, openSync, write, writeSync, writev } from 'node:fs';
import { dirname } from 'node:path';

export interface LineWriterOptions {
  maxPendingBytes: number;
  onError(error: Error): void;
  onDrop(): void;
}

// Several worker processes share stdout, usually a pipe, where only writes up to 4096 bytes
// (PIPE_BUF) are atomic: stdout gets writes of whole lines up to that size, so lines of two
// workers never mix. A file is opened by each worker in append mode, where a write lands whole.
const pipeWriteLimit = 4096;
const fileBatchBytes = 64 * 1024;
/** The longest a line waits when traffic is light. */
const flushDelayMs = 200;
/** Spare buffers kept for reuse once written. */
const maxSpare = 4;

export class LineWriter {
  readonly #destination: string;
  readonly #options: LineWriterOptions;
  /** Size of a buffer, and of the largest write for stdout. */
  readonly #batchBytes: number;
  #fd: number;
  /** Filled buffers waiting to be written, each holding whole lines. */
  #sealed: Buffer[] = [];
  #sealedBytes = 0;
  /** The buffer lines are being added to, and how much of it is used. */
  #current: Buffer;
  #used = 0;
  #spare: Buffer[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing = false;
  #broken = false;
  #closed = false;
  #dropped = 0;
  #idle: (() => void)[] = [];
  readonly #onExit = () => this.#flushSync();

  /** Opens the destination now, so a path that cannot be written is refused at start. */
  static async open(destination: 'stdout' | string, options: LineWriterOptions): Promise<LineWriter> {
    return new LineWriter(destination, options);
  }

  private constructor(destination: string, options: LineWriterOptions) {
    this.#destination = destination;
    this.#options = options;
    this.#batchBytes = destination === 'stdout' ? pipeWriteLimit : fileBatchBytes;
    this.#fd = LineWriter.#openFd(destination);
    this.#current = Buffer.allocUnsafe(this.#batchBytes);
    process.on('exit', this.#onExit);
  }

  get dropped(): number {
    return this.#dropped;
  }

  get #pendingBytes(): number {
    return this.#sealedBytes + this.#used;
  }

  write(line: string): void {
    if (this.#closed || this.#broken) return;
    if (!this.#append(line)) {
      this.#dropped++;
      this.#options.onDrop();
      return;
    }
    if (this.#writing) return; // the write in flight flushes again when it is done
    if (this.#sealedBytes >= this.#batchBytes) this.#flush();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#flush(), flushDelayMs);
      this.#timer.unref();
    }
  }

  /** Opens the file again under its name, after a rotation moved it away. */
  reopen(): void {
    if (this.#destination === 'stdout' || this.#closed) return;
    const fd = LineWriter.#openFd(this.#destination);
    const old = this.#fd;
    this.#fd = fd;
    // A write still in flight keeps using the old descriptor; close it once that is done.
    const closeOld = () => closeSync(old);
    if (this.#writing) this.#idle.push(closeOld);
    else closeOld();
  }

  /** Writes what is waiting, then closes; gives up after `timeoutMs` (a destination that fails for good). */
  async close(timeoutMs: number): Promise<void> {
    if (this.#closed) return;
    const drained = new Promise<void>((resolve) => {
      if (!this.#writing && this.#pendingBytes === 0) resolve();
      else this.#idle.push(resolve);
    });
    if (!this.#writing) this.#flush();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    this.#closed = true;
    process.off('exit', this.#onExit);
    if (this.#destination !== 'stdout') closeSync(this.#fd);
  }

  /** Encodes the line into the current buffer, sealing it first when the line does not fit. */
  #append(line: string): boolean {
    const room = this.#current.length - this.#used;
    // A UTF-16 unit takes at most 3 bytes in UTF-8; count exactly only when that bound is tight.
    const bytes = line.length * 3 <= room ? line.length : Buffer.byteLength(line);
    if (this.#pendingBytes + bytes > this.#options.maxPendingBytes) return false;
    if (bytes > room) {
      this.#seal();
      // A line longer than a buffer gets one of its own (for stdout, a write that may mix).
      if (bytes > this.#current.length) this.#current = Buffer.allocUnsafe(bytes);
    }
    this.#used += this.#current.write(line, this.#used);
    return true;
  }

  #seal(): void {
    if (this.#used === 0) return;
    this.#sealed.push(this.#current.subarray(0, this.#used));
    this.#sealedBytes += this.#used;
    this.#current = this.#spare.pop() ?? Buffer.allocUnsafe(this.#batchBytes);
    this.#used = 0;
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#writing) return;
    this.#seal();
    if (this.#sealed.length === 0) {
      for (const callback of this.#idle.splice(0)) callback();
      return;
    }
    // A file takes everything in one writev; stdout one buffer (at most PIPE_BUF) per write.
    const chunks = this.#destination === 'stdout' ? this.#sealed.splice(0, 1) : this.#sealed.splice(0);
    for (const chunk of chunks) this.#sealedBytes -= chunk.length;
    this.#writing = true;
    const done = (error: NodeJS.ErrnoException | null) => {
      this.#writing = false;
      this.#recycle(chunks);
      if (error) {
        // A closed pipe stays closed; other errors (a full disk) may pass, so writing goes on.
        if (error.code === 'EPIPE') this.#broken = true;
        this.#options.onError(error);
      }
      if (this.#broken) this.#discard();
      this.#afterWrite();
    };
    if (chunks.length === 1) write(this.#fd, chunks[0] as Buffer, done);
    else writev(this.#fd, chunks, done);
  }

  /** What came in during a write goes out by the same rule: a full batch now, else on the timer. */
  #afterWrite(): void {
    if (this.#sealedBytes >= this.#batchBytes || this.#idle.length > 0) this.#flush();
    else if (this.#pendingBytes === 0) for (const callback of this.#idle.splice(0)) callback();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#flush(), flushDelayMs);
      this.#timer.unref();
    }
  }

  /** Buffers of the standard size go back to the spares once written. */
  #recycle(chunks: Buffer[]): void {
    for (const chunk of chunks) {
      if (this.#spare.length >= maxSpare) return;
      if (chunk.buffer.byteLength === this.#batchBytes && chunk.byteOffset === 0) {
        this.#spare.push(Buffer.from(chunk.buffer, 0, this.#batchBytes));
      }
    }
  }

  #discard(): void {
    this.#sealed = [];
    this.#sealedBytes = 0;
    this.#used = 0;
  }

  #flushSync(): void {
    if (this.#broken) return;
    this.#seal();
    try {
      for (const chunk of this.#sealed) writeSync(this.#fd, chunk);
    } catch {
      // Exiting anyway; nothing better to do with a destination that fails now.
    }
    this.#discard();
  }

  static #openFd(destination: string): number {
    if (destination === 'stdout') return 1;
    mkdirSync(dirname(destination), { recursive: true });
    return openSync(destination, 'a');
  }
}
