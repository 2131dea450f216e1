// An in-memory PolicyContext for policy unit tests: records what a policy did to the request.
import type {
  ApiKeyRecord,
  ApplicationRecord,
  BodyCapture,
  ClientCertificate,
  Consumer,
  CredentialRecord,
  ExchangeEnd,
  PolicyContext,
} from './context.ts';

export interface TestContextInit {
  method?: string;
  /** As the client sent it, query included; defaults to `path`. */
  requestTarget?: string;
  clientCertificate?: ClientCertificate;
  /** By `kind identifier`, e.g. `basic alice`. */
  credentials?: Record<string, CredentialRecord>;
  path?: string;
  clientIp?: string;
  routeId?: string;
  /** The route's metric chain (its metric first) and delta. */
  metrics?: string[];
  delta?: number;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  apiId?: string;
  keys?: Record<string, ApiKeyRecord>;
  applications?: ApplicationRecord[];
  consumer?: Consumer;
  /** Shared by contexts that stand for requests on one connection. */
  connection?: object;
}

export interface TestContext extends PolicyContext {
  readonly upstreamHeaders: Map<string, string | null>;
  readonly removedQueryParams: string[];
  readonly responseHeaders: Map<string, string | null>;
  /** Ids of the keys `credentials.used()` was told about. */
  readonly usedKeys: (string | undefined)[];
  /** What `onEnd()` was given; call a listener to end the request. */
  readonly endListeners: { listener: (end: ExchangeEnd) => void; capture: BodyCapture | undefined }[];
}

export function testContext(init: TestContextInit = {}): TestContext {
  const headers = new Map(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const applications = new Map((init.applications ?? []).map((a) => [a.id, a]));
  const keys = new Map(Object.entries(init.keys ?? {}));
  let consumer: Consumer | undefined = init.consumer;
  const usedKeys: (string | undefined)[] = [];
  const ctx: TestContext = {
    usedKeys,
    endListeners: [],
    requestId: 'req-test',
    method: init.method ?? 'GET',
    path: init.path ?? '/test',
    host: 'localhost',
    clientIp: () => init.clientIp ?? '127.0.0.1',
    requestTarget: () => init.requestTarget ?? init.path ?? '/test',
    clientCertificate: () => init.clientCertificate,
    connection: init.connection ?? {},
    api: { id: init.apiId ?? 'api_test', name: 'test', basePath: '/' },
    route: {
      id: init.routeId ?? 'rte_test',
      name: 'test',
      metric: init.metrics?.[0] ?? 'hits',
      metrics: init.metrics ?? ['hits'],
      delta: init.delta ?? 1,
    },
    credentials: {
      apiKey: (hash) => keys.get(hash),
      credential: (kind, identifier) => init.credentials?.[`${kind} ${identifier}`],
      application: (id) => applications.get(id),
      used: (key) => void usedKeys.push(key.id),
    },
    get consumer() {
      return consumer;
    },
    responseStatus: 0,
    upstreamHeaders: new Map(),
    removedQueryParams: [],
    responseHeaders: new Map(),
    header: (name) => headers.get(name),
    queryParam: (name) => init.query?.[name],
    requestHeaders: () => Object.fromEntries(headers),
    setUpstreamHeader: (name, value) => void ctx.upstreamHeaders.set(name.toLowerCase(), value),
    removeUpstreamHeader: (name) => void ctx.upstreamHeaders.set(name.toLowerCase(), null),
    removeUpstreamQueryParam: (name) => void ctx.removedQueryParams.push(name),
    setResponseHeader: (name, value) => void ctx.responseHeaders.set(name.toLowerCase(), value),
    appendResponseHeader: (name, token) => {
      const current = ctx.responseHeaders.get(name.toLowerCase());
      ctx.responseHeaders.set(name.toLowerCase(), current ? `${current}, ${token}` : token);
    },
    removeResponseHeader: (name) => void ctx.responseHeaders.set(name.toLowerCase(), null),
    setConsumer: (application, grant) => {
      consumer = {
        applicationId: application.id,
        accountId: application.accountId,
        tier: application.tier,
        planId: undefined,
        subscriptionId: undefined,
        subject: grant?.subject,
        scopes: grant?.scopes,
      };
    },
    setPlan: (planId, subscriptionId) => {
      if (consumer) consumer = { ...consumer, planId, subscriptionId };
    },
    onEnd: (listener, capture) => void ctx.endListeners.push({ listener, capture }),
  };
  return ctx;
}

/** An identified caller with nothing but its ids and tier set, for tests that need one. */
export function testConsumer(
  fields: Partial<Consumer> & Pick<Consumer, 'applicationId' | 'accountId'>,
): Consumer {
  return {
    tier: 'standard',
    planId: undefined,
    subscriptionId: undefined,
    subject: undefined,
    scopes: undefined,
    ...fields,
  };
}
