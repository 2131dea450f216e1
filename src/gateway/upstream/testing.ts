// Test support for the upstream and health tests: targets without sockets, snapshots with one
// upstream of several targets and chosen settings, and requests that report what came back.
import { request } from 'undici';
import {
  defaultUpstreamSettings,
  resolveUpstreamSettings,
  type UpstreamSettingsInput,
} from '../../shared/upstream-settings.ts';
import type { GatewayOptions } from '../gateway.ts';
import { TargetHealth } from '../health/target-health.ts';
import type { Snapshot } from '../snapshot/types.ts';
import { snapshot, startTestGateway, type TestGateway } from '../testing/fixtures.ts';
import type { BalancedRequest, Target } from './balancer.ts';

/** A target with its own health record and no pool, for balancer tests. */
export function fakeTarget(url: string, weight = 100): Target {
  const { origin, pathname } = new URL(url);
  return {
    origin,
    pathPrefix: pathname === '/' ? '' : pathname,
    host: new URL(url).host,
    url: origin + (pathname === '/' ? '' : pathname),
    weight,
    pool: undefined as never,
    health: new TargetHealth(`ups ${origin}`, 'ups', 'main', url),
  };
}

/** A request as a balancer sees it. */
export function caller(
  fields: { ip?: string; headers?: Record<string, string>; app?: string } = {},
): BalancedRequest {
  return {
    clientIp: () => fields.ip ?? '127.0.0.1',
    header: (name) => fields.headers?.[name],
    consumer: fields.app === undefined ? undefined : { applicationId: fields.app },
  };
}

/** Settings with every resilience feature off, for tests to turn on what they test. */
export const bareSettings: UpstreamSettingsInput = {
  healthChecks: { active: null, passive: null },
  retries: { attempts: 0 },
};

/** A snapshot whose upstream `ups_main` has these targets and settings (over `bareSettings`). */
export function upstreamSnapshot(
  targets: readonly (string | { url: string; weight: number })[],
  settings: UpstreamSettingsInput = {},
  version = 1,
): Snapshot {
  const base = resolveUpstreamSettings(bareSettings, defaultUpstreamSettings);
  const list = targets.map((t) => (typeof t === 'string' ? { url: t, weight: 100 } : t));
  return {
    ...snapshot(list[0]?.url ?? 'http://127.0.0.1:9', { version }),
    upstreams: [{ id: 'ups_main', name: 'main', targets: list, ...resolveUpstreamSettings(settings, base) }],
  };
}

const cleanups: (() => Promise<unknown>)[] = [];

/** Registers something to close after the test; call `closeAll` from afterEach. */
export function later<T extends { close(): Promise<unknown> }>(thing: T): T {
  cleanups.push(() => thing.close());
  return thing;
}

export async function closeAll(): Promise<void> {
  for (const close of cleanups.splice(0).reverse()) await close();
}

export async function gatewayFor(input: Snapshot, options: GatewayOptions = {}): Promise<TestGateway> {
  return later(await startTestGateway(input, options));
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies of several shapes.
  body: any;
}

export async function call(
  gw: TestGateway,
  path = '/',
  init: {
    method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
    headers?: Record<string, string>;
    body?: string;
  } = {},
): Promise<Answer> {
  const response = await request(`${gw.server.url}${path}`, init);
  const text = await response.body.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.statusCode, headers: response.headers, body };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
