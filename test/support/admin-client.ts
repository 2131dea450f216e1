// A small client of the admin API over real HTTP, and a helper that provisions the usual chain
// (upstream → API → routes → product → plan → account → application → subscription → key) the
// way an operator would, one resource call at a time.
import { expect } from 'vitest';

export interface AdminResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes.
  body: any;
}

export class AdminClient {
  readonly base: string;
  readonly token: string;

  /** `origin` is `http://host:port` of the admin API. */
  constructor(origin: string, token: string) {
    this.base = `${origin}/admin/v1`;
    this.token = token;
  }

  async call(method: string, path: string, body?: unknown): Promise<AdminResponse> {
    const response = await fetch(this.base + path, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  /** POST that must answer 201; returns the created resource. */
  // biome-ignore lint/suspicious/noExplicitAny: created resources have many shapes.
  async create(path: string, body: unknown): Promise<any> {
    const response = await this.call('POST', path, body);
    expect(response.status, `POST ${path}: ${JSON.stringify(response.body)}`).toBe(201);
    return response.body;
  }

  /** PATCH that must answer 200; returns the changed resource. */
  // biome-ignore lint/suspicious/noExplicitAny: resources have many shapes.
  async update(path: string, body: unknown): Promise<any> {
    const response = await this.call('PATCH', path, body);
    expect(response.status, `PATCH ${path}: ${JSON.stringify(response.body)}`).toBe(200);
    return response.body;
  }

  /** The single item of a list filtered by name. */
  // biome-ignore lint/suspicious/noExplicitAny: resources have many shapes.
  async byName(path: string, name: string): Promise<any> {
    const response = await this.call('GET', `${path}?name=${encodeURIComponent(name)}`);
    expect(response.status).toBe(200);
    expect(response.body.data, `${path}?name=${name}`).toHaveLength(1);
    return response.body.data[0];
  }
}

export interface ProvisionedApp {
  accountId: string;
  applicationId: string;
  subscriptionId: string | undefined;
  key: string;
  keyId: string;
}

/** An account with one application, optionally subscribed to `planId`, and one key. */
export async function provisionApp(
  admin: AdminClient,
  name: string,
  planId: string | undefined,
): Promise<ProvisionedApp> {
  const account = await admin.create('/accounts', { name: `${name}-account` });
  const application = await admin.create('/applications', { accountId: account.id, name: `${name}-app` });
  const subscription = planId
    ? await admin.create('/subscriptions', { applicationId: application.id, planId })
    : undefined;
  const key = await admin.create(`/applications/${application.id}/keys`, { label: name });
  return {
    accountId: account.id,
    applicationId: application.id,
    subscriptionId: subscription?.id,
    key: key.key,
    keyId: key.id,
  };
}

/** A product over `apiIds` with one auto-approved plan; returns the plan id. */
export async function provisionPlan(admin: AdminClient, name: string, apiIds: string[]): Promise<string> {
  const product = await admin.create('/products', { name, apiIds });
  const plan = await admin.create('/plans', { productId: product.id, name: `${name}-plan` });
  return plan.id;
}
