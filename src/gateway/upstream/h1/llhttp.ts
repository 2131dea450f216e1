// Node's own HTTP parser (llhttp, compiled into the node binary), as node:http's client uses it.
// It is reached through `_http_common`, which Node keeps for its own modules and does not
// document; ADR 0014 says why the gateway uses it and what guards the choice (the contract test
// in llhttp.test.ts fails on a Node that changes it).
import { createRequire } from 'node:module';

/** The parser's callbacks are set as indexed properties; these are the indexes. */
export interface ParserStatics {
  readonly RESPONSE: number;
  readonly kOnMessageBegin: number;
  readonly kOnHeaders: number;
  readonly kOnHeadersComplete: number;
  readonly kOnBody: number;
  readonly kOnMessageComplete: number;
  readonly kOnExecute: number;
  readonly kLenientNone: number;
}

export interface NativeParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  /** Parses a chunk; an Error (code HPE_…) when the input is not HTTP. */
  execute(data: Buffer): number | Error;
  /** The connection closed: completes a body read until close, or an Error. */
  finish(): number | Error | undefined;
  /** Reads the stream handle directly from C++: no 'data' events, kOnExecute after each read. */
  consume(handle: object): void;
  unconsume(): void;
  close(): void;
  [callback: number]: unknown;
}

interface ParserModule {
  HTTPParser: ParserStatics & (new () => NativeParser);
}

const common = createRequire(import.meta.url)('_http_common') as ParserModule;

export const HTTPParser = common.HTTPParser;
