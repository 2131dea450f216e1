// One entry of the request log, as the request-log policy writes it and the control plane stores
// it. Policies only see this interface; the gateway's analytics collector implements the sink.

export interface RequestLogEntry {
  /** When the request reached the gateway, ISO 8601 (UTC). */
  readonly time: string;
  readonly requestId: string;
  readonly method: string;
  readonly host: string;
  /** The path as the client sent it, without the query. */
  readonly path: string;
  /** The query string without its "?", credentials redacted; "" when none. */
  readonly query: string;
  /** The status sent to the client; 499 when the client left before an answer was started. */
  readonly status: number;
  /** Milliseconds from the request reaching the gateway to the response being sent. */
  readonly durationMs: number;
  /** Milliseconds from sending the upstream request to its response head; null when none was sent. */
  readonly upstreamMs: number | null;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly clientIp: string;
  readonly apiId: string;
  readonly routeId: string;
  readonly metric: string;
  readonly applicationId: string | null;
  readonly accountId: string | null;
  readonly planId: string | null;
  readonly subscriptionId: string | null;
  /** The end user a token was issued for (its `sub`), when the call carried one. */
  readonly endUser: string | null;
  /** Lower-case names; credentials and the configured headers are redacted. */
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly responseHeaders: Readonly<Record<string, string>>;
  /** The first bytes of the bodies (UTF-8) when the policy captures them, else null. */
  readonly requestBody: string | null;
  readonly responseBody: string | null;
  /** Days the control plane keeps this entry. */
  readonly retentionDays: number;
}

/** Where the request-log policy hands its entries; the gateway ships them in batches. */
export interface RequestLogSink {
  add(entry: RequestLogEntry): void;
}
