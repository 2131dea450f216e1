// The portal API over an admin harness's store, driven with Fastify's inject and a cookie jar per
// browser; mails are kept in memory for tests to open.
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createPortal } from '../../src/control/portal/server.ts';
import type { OutgoingMail } from '../../src/control/portal-api/context.ts';
import type { AdminHarness } from './admin.ts';

export interface PortalBrowser {
  call(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
    // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes.
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /** Signs in and keeps the cookie and CSRF token for later writes. */
  signIn(email: string, password: string): Promise<void>;
  readonly csrf: string | undefined;
}

export interface PortalHarness {
  app: FastifyInstance;
  mails: OutgoingMail[];
  /** The token in the last mail to `to` whose link goes to `path`. */
  linkToken(to: string, path: string): string;
  browser(): PortalBrowser;
  close(): Promise<void>;
}

export const portalTestUrl = 'http://portal.test';

export async function startPortal(
  admin: AdminHarness,
  options: { gatewayUrl?: string } = {},
): Promise<PortalHarness> {
  const mails: OutgoingMail[] = [];
  const app = await createPortal(pino({ level: 'silent' }), () => undefined, {
    db: admin.store.db,
    sendMail: async (mail) => void mails.push(mail),
    portalUrl: () => portalTestUrl,
    gatewayUrl: () => options.gatewayUrl ?? 'http://127.0.0.1:9',
    changed: () => admin.distributor.changed(),
  });
  return {
    app,
    mails,
    linkToken(to, path) {
      const mail = mails
        .filter((m) => m.to === to && m.text.includes(`${portalTestUrl}${path}?token=`))
        .at(-1);
      const token = mail?.text.match(/\?token=([^\s&]+)/)?.[1];
      if (!token) throw new Error(`no mail to ${to} with a link to ${path}`);
      return decodeURIComponent(token);
    },
    browser() {
      let cookie: string | undefined;
      let csrf: string | undefined;
      const browser: PortalBrowser = {
        get csrf() {
          return csrf;
        },
        async call(method, url, body, headers = {}) {
          const write = !['GET', 'HEAD'].includes(method);
          const response = await app.inject({
            method: method as 'GET',
            url,
            headers: {
              ...(cookie !== undefined && { cookie: `tp_portal=${cookie}` }),
              ...(write && csrf !== undefined && { 'x-csrf-token': csrf }),
              ...headers,
            },
            ...(body !== undefined && { payload: body as object }),
          });
          const set = response.headers['set-cookie'];
          const value = (Array.isArray(set) ? set : set ? [set] : [])
            .map((c) => /^tp_portal=([^;]*)/.exec(c)?.[1])
            .find((c) => c !== undefined);
          if (value !== undefined) cookie = value || undefined;
          const json = response.body ? response.json() : undefined;
          // A session answer (sign-in, accepting an invitation) carries the CSRF token for writes.
          if (typeof json?.csrfToken === 'string') csrf = json.csrfToken;
          return { status: response.statusCode, body: json, headers: response.headers };
        },
        async signIn(email, password) {
          const answer = await browser.call('POST', '/portal/v1/session', { email, password });
          if (answer.status !== 201)
            throw new Error(`sign-in → ${answer.status} ${JSON.stringify(answer.body)}`);
          csrf = answer.body.csrfToken;
        },
      };
      return browser;
    },
    close: () => app.close(),
  };
}
