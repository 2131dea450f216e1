// What a policy sees of a request: the only gateway surface a policy may use (like Kong's PDK).
// The gateway implements these interfaces; policies never import gateway internals, so the
// gateway can change how it stores a request without touching any policy.
import type { ErrorCode } from '../shared/errors.ts';

/** The order in which policies run (DESIGN.md section 3). */
export const phases = [
  'pre-auth',
  'authenticate',
  'authorize',
  'limit',
  'request',
  'response',
  'log',
] as const;
export type Phase = (typeof phases)[number];

export interface ApiInfo {
  readonly id: string;
  readonly name: string;
  readonly basePath: string;
}

export interface RouteInfo {
  readonly id: string;
  readonly name: string;
  /** The metric a hit on this route counts against. */
  readonly metric: string;
  /** That metric and its ancestors, ending with `hits`: what a call counts in. */
  readonly metrics?: readonly string[];
  /** Units a call adds to each of them (1 unless the route says otherwise). */
  readonly delta?: number;
}

export interface ApiKeyRecord {
  /** Id of the key, when the snapshot carries it. */
  readonly id: string | undefined;
  readonly applicationId: string;
  /** Epoch milliseconds after which the key no longer works, or null. */
  readonly expiresAt: number | null;
}

export interface ApplicationRecord {
  readonly id: string;
  readonly accountId: string;
  /** The account's trust tier (`standard` unless the operator set another). */
  readonly tier: string;
  /** False when the application or its account is suspended or not approved. */
  readonly active: boolean;
  /** API id → plan id, from the application's active subscriptions. */
  readonly grants: ReadonlyMap<string, string>;
  /** API id → the subscription giving that grant (absent from older control planes). */
  readonly subscriptions?: ReadonlyMap<string, string>;
}

/** An HTTP Basic or client-certificate credential of an application. */
export interface CredentialRecord {
  readonly id: string;
  readonly applicationId: string;
  /** SHA-256 (hex) of the password (basic); null for a certificate or an HMAC key. */
  readonly hash: string | null;
  /** The shared signing secret (hmac only). */
  readonly secret?: string | undefined;
  /** Epoch milliseconds after which it no longer works, or null. */
  readonly expiresAt: number | null;
}

export type CredentialKind = 'basic' | 'mtls' | 'hmac';

/** The certificate a client presented on the HTTPS listener. */
export interface ClientCertificate {
  /** SHA-256 of the certificate (DER), lower-case hex without separators. */
  readonly fingerprint: string;
  /** True when it chains to the CA the listener is configured to trust. */
  readonly authorized: boolean;
}

/** Lookups into the credential indexes compiled from the current snapshot. */
export interface Credentials {
  /** By username (basic) or certificate fingerprint (mtls). */
  credential(kind: CredentialKind, identifier: string): CredentialRecord | undefined;
  /** By SHA-256 (hex) of the key; the plaintext never leaves the policy. */
  apiKey(hash: string): ApiKeyRecord | undefined;
  application(id: string): ApplicationRecord | undefined;
  /** Notes that a key let a request in, for its "last used" time. */
  used(key: ApiKeyRecord): void;
}

/** Who is calling, once an authenticate policy has said so; `planId` once authorized. */
export interface Consumer {
  readonly applicationId: string;
  readonly accountId: string;
  readonly tier: string;
  readonly planId: string | undefined;
  /** The subscription that lets it call this API, once authorized (usage counts per subscription). */
  readonly subscriptionId: string | undefined;
  /** The end user the application acts for (a token's `sub`), when the credential names one. */
  readonly subject: string | undefined;
  /** Scopes the credential grants, when it carries any (tokens do; API keys do not). */
  readonly scopes: ReadonlySet<string> | undefined;
}

/** What a token says beyond the application: the end user and the granted scopes. */
export interface Grant {
  readonly subject?: string | undefined;
  readonly scopes?: ReadonlySet<string> | undefined;
}

/**
 * A response that stops the request. `problem` becomes an application/problem+json body with the
 * request id; build these once in `create()`, not per request.
 */
export type PolicyResponse =
  | {
      readonly kind: 'problem';
      readonly code: ErrorCode;
      readonly detail: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: string | Uint8Array;
    };

/** Header fields by lower-case name: a repeated field joined with ", ", or listed (set-cookie). */
export type HeaderFields = Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** Which bodies an `onEnd` listener wants the first bytes of. */
export interface BodyCapture {
  readonly request: boolean;
  readonly response: boolean;
  /** How many bytes of each body to keep, at most. */
  readonly maxBytes: number;
}

/** How a request ended, for a listener registered with `onEnd`. */
export interface ExchangeEnd {
  /** When the request reached the gateway, epoch milliseconds. */
  readonly startedAt: number;
  /** The status sent to the client; 499 when the client left before an answer was started. */
  readonly status: number;
  /** Milliseconds from the request reaching the gateway to its response being done. */
  readonly durationMs: number;
  /**
   * Milliseconds from sending the upstream request to its response head (or to the end, when
   * none came); undefined when no upstream request was sent.
   */
  readonly upstreamMs: number | undefined;
  /** Request body bytes: its Content-Length, else what was read of it while capturing, else 0. */
  readonly bytesIn: number;
  /** Response body bytes written to the client (the head not included). */
  readonly bytesOut: number;
  /** The response's header fields as sent; none when the client left before an answer. */
  responseHeaders(): HeaderFields;
  /** The first `maxBytes` of each body `capture` asked for, as it went through; else undefined. */
  readonly requestBody: Uint8Array | undefined;
  readonly responseBody: Uint8Array | undefined;
}

export interface PolicyContext {
  readonly requestId: string;
  readonly method: string;
  /** The request path, normalized, without the query string. */
  readonly path: string;
  /** The request target exactly as the client sent it, query included (what signatures cover). */
  requestTarget(): string;
  /** The host name the client asked for, lower-cased, without the port. */
  readonly host: string;
  /** The client's address: the peer, or through trusted proxies the address they forwarded. */
  clientIp(): string;
  /** The client certificate presented on the HTTPS listener, if it asks for them and got one. */
  clientCertificate(): ClientCertificate | undefined;
  /**
   * Stands for the client's connection while it lasts (one object per socket or HTTP/2
   * session): a key for what a policy may remember between the requests of one connection.
   */
  readonly connection: object;
  readonly api: ApiInfo;
  readonly route: RouteInfo;
  readonly credentials: Credentials;
  readonly consumer: Consumer | undefined;
  /** Upstream response status; 0 until the upstream has answered (response and log phases). */
  readonly responseStatus: number;

  /** An incoming request header by lower-case name; repeated headers come joined. */
  header(name: string): string | undefined;
  /** A decoded query parameter of the incoming request (the first, when repeated). */
  queryParam(name: string): string | undefined;
  /** Every header of the incoming request, as `header()` reads them. */
  requestHeaders(): HeaderFields;

  /** Replaces the header on the upstream request (any incoming value is dropped). */
  setUpstreamHeader(name: string, value: string): void;
  removeUpstreamHeader(name: string): void;
  removeUpstreamQueryParam(name: string): void;

  /** Sets a header on the response to the client, whoever produces it. */
  setResponseHeader(name: string, value: string): void;
  /** Adds a token to a list header of the response (`Vary: Origin`), keeping what is there. */
  appendResponseHeader(name: string, token: string): void;
  removeResponseHeader(name: string): void;

  /** Called by an authenticate policy once the credential checks out. */
  setConsumer(application: ApplicationRecord, grant?: Grant): void;
  /** Called by an authorize policy once it knows which plan (and subscription) covers the request. */
  setPlan(planId: string, subscriptionId?: string): void;

  /**
   * Calls `listener` once, soon after the response is done: sent, failed, or abandoned by the
   * client. For a policy that reports on whole requests from an early phase (request-log), so it
   * also sees the ones later policies refuse. With `capture`, the first bytes of the bodies are
   * kept as they stream through, neither held up nor changed. Costs nothing unless called.
   */
  onEnd(listener: (end: ExchangeEnd) => void, capture?: BodyCapture): void;
}

/** A problem response for a policy to return; call it in `create()` so no request allocates one. */
export function deny(code: ErrorCode, detail: string, headers?: Record<string, string>): PolicyResponse {
  return headers ? { kind: 'problem', code, detail, headers } : { kind: 'problem', code, detail };
}
