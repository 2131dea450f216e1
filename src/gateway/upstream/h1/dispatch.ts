// What the gateway's upstream clients take and call back: undici's dispatch interface, narrowed to
// what the proxy uses, so the HTTP/1.1 pool (pool.ts) and undici's Pool (for HTTPS) are
// interchangeable. Response headers come as undici's object or, from the HTTP/1.1 pool, as the
// raw flat [name, value, …] array, names as the upstream spelled them.
import type { Readable } from 'node:stream';

export type ResponseHeaders = Record<string, string | string[] | undefined> | string[];

export interface UpstreamController {
  abort(reason: Error): void;
  pause(): void;
  resume(): void;
}

export interface UpstreamHandler {
  onRequestStart?(controller: UpstreamController, context: unknown): void;
  onResponseStart?(controller: UpstreamController, statusCode: number, headers: ResponseHeaders): void;
  onResponseData?(controller: UpstreamController, chunk: Buffer): void;
  onResponseEnd?(controller: UpstreamController, trailers: unknown): void;
  onResponseError?(controller: UpstreamController | null | undefined, error: Error): void;
}

export interface UpstreamRequest {
  /** The request target, origin-form ("/path?query"). */
  path: string;
  method: string;
  /** Flat [name, value, …], lower-case names. */
  headers: string[];
  /**
   * Every name is a token and no value has control characters, checked where they were set (the
   * proxy's: node:http parsed the client's, Exchange.setUpstreamHeader checks what policies add);
   * otherwise the client checks them before sending.
   */
  headersChecked?: boolean;
  body: Readable | null;
  /** Milliseconds from sending the request to the response head; 0: none. */
  headersTimeout: number;
  /** Milliseconds allowed between two chunks of the response body; 0: none. */
  bodyTimeout: number;
}

export interface UpstreamDispatcher {
  dispatch(request: UpstreamRequest, handler: UpstreamHandler): boolean;
  close(): Promise<void>;
}

/** Failures of the gateway's own HTTP/1.1 client, by code (see ../errors.ts). */
export type UpstreamErrorCode =
  | 'TP_UPSTREAM_CONNECT_TIMEOUT'
  | 'TP_UPSTREAM_HEADERS_TIMEOUT'
  | 'TP_UPSTREAM_BODY_TIMEOUT'
  | 'TP_UPSTREAM_CLOSED'
  | 'TP_UPSTREAM_POOL_CLOSED'
  | 'TP_UPSTREAM_INVALID_REQUEST';

/** A failure with a code that says what happened (errors.ts reads it). */
class CodedError<Code extends string> extends Error {
  readonly code: Code;
  constructor(code: Code, message: string) {
    super(message);
    this.code = code;
  }
}

export class UpstreamError extends CodedError<UpstreamErrorCode> {
  override name = 'UpstreamError';
}

/** What the parser refused in a response (an `HPE_…` code); that connection is never used again. */
export class HTTPParserError extends CodedError<string> {
  override name = 'HTTPParserError';
}
