// User story: "Each person and tool gets the access its job needs: viewers read, editors change
// the configuration, admins also manage admin users and tokens, owners everything. People sign
// in to the console with a password; every write is in the audit trail, with who made it and
// the object before and after." Against one running `turnpike start` over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTurnpike, removeDir, runCli, startTurnpike } from '../support/cli.ts';

const ownerToken = 'e2e-admin-access-owner-token-0123456789';
const roles = ['viewer', 'editor', 'admin', 'owner'] as const;
type Role = (typeof roles)[number];

let tp: RunningTurnpike | undefined;
let base = '';
const tokens = {} as Record<Role, string>;

interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes.
  body: any;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${ownerToken}` },
): Promise<Reply> {
  const response = await fetch(base + path, {
    method,
    headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
const as = (role: Role) => ({ authorization: `Bearer ${tokens[role]}` });

beforeAll(async () => {
  tp = await startTurnpike({ env: { TURNPIKE_ADMIN_TOKEN: ownerToken } });
  base = `${tp.admin}/admin/v1`;
  for (const role of roles) {
    const created = await call('POST', '/tokens', { name: `e2e-${role}`, role });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tokens[role] = created.body.token;
  }
});

afterAll(async () => {
  if (!tp) return;
  await tp.stop();
  removeDir(tp.dataDir);
});

describe('the authorization matrix', () => {
  /** The least role each operation needs, by the rule the docs state (not read from the code). */
  function needed(method: string, path: string): Role | 'public' {
    if (method === 'post' && path === '/admin/v1/session') return 'public';
    // The configuration for gateways holds HMAC secrets: gateway tokens (checked below) and admins.
    if (path.startsWith('/admin/v1/sync')) return 'admin';
    if (method === 'get' || path === '/admin/v1/session') return 'viewer';
    if (
      path.startsWith('/admin/v1/tokens') ||
      path.startsWith('/admin/v1/admin-users') ||
      path.startsWith('/admin/v1/identity-providers') ||
      path === '/admin/v1/oauth/signing-keys/rotate'
    )
      return 'admin';
    return 'editor';
  }

  it('tries every operation of the OpenAPI document with every role and with no token', async () => {
    const document = (await call('GET', '/openapi.json', undefined, {})).body; // public
    const operations: [string, string][] = [];
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, unknown>>))
      for (const method of Object.keys(item)) operations.push([method, path]);
    expect(operations.length).toBeGreaterThan(45);
    const wrong: string[] = [];
    for (const [method, path] of operations) {
      // Ids that name nothing: an allowed call gets past authorization and fails later (404, 400).
      const url = path.replace(/^\/admin\/v1/, '').replace(/\{[^}]+\}/g, 'nothing-here');
      const body = method === 'get' || method === 'delete' ? undefined : {};
      const rule = needed(method, path);
      const anonymous = await call(method.toUpperCase(), url, body, {});
      if (rule !== 'public' && anonymous.status !== 401)
        wrong.push(`${method} ${path} without a token: ${anonymous.status}`);
      if (rule === 'public') continue;
      for (const role of roles) {
        const reply = await call(method.toUpperCase(), url, body, as(role));
        const allowed = roles.indexOf(role) >= roles.indexOf(rule);
        const refused = reply.status === 403 && reply.body.code === 'forbidden';
        if (allowed === refused || reply.status === 401)
          wrong.push(`${method} ${path} as ${role}: ${reply.status} ${reply.body?.code ?? ''}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a gateway token reads the configuration for gateways and nothing else', async () => {
    const created = await call('POST', '/tokens', { name: 'e2e-node', role: 'gateway' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const node = { authorization: `Bearer ${created.body.token}` };
    expect((await call('GET', '/sync?wait=0', undefined, node)).status).toBe(200);
    expect((await call('POST', '/sync/key-usage', { ids: [] }, node)).status).toBe(204);
    for (const path of ['/apis', '/applications', '/tokens', '/audit-events'])
      expect((await call('GET', path, undefined, node)).status, path).toBe(403);
    expect((await call('POST', '/apis', {}, node)).status).toBe(403);
    // A viewer reads everything else, but not the secrets gateways get.
    expect((await call('GET', '/sync?wait=0', undefined, as('viewer'))).status).toBe(403);
    const user = await call('POST', '/admin-users', {
      email: 'node@example.com',
      password: 'long enough password',
      role: 'gateway',
    });
    expect(user.status).toBe(400); // people cannot have it
  });

  it('a refusal names the role needed and changes nothing', async () => {
    const before = (await call('GET', '/status')).body.revision;
    const refused = await call(
      'POST',
      '/upstreams',
      { name: 'nope', targets: [{ url: 'http://127.0.0.1:9' }] },
      as('viewer'),
    );
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toBe(
      'this needs the editor role; the token "e2e-viewer" has the viewer role',
    );
    expect((await call('GET', '/upstreams?name=nope')).body.data).toEqual([]);
    expect((await call('GET', '/status')).body.revision).toBe(before);
  });
});

describe('admin tokens', () => {
  it('are shown once, stored hashed, listed by prefix, and record their last use', async () => {
    const created = await call('POST', '/tokens', { name: 'ci', role: 'editor' });
    expect(created.body.token).toMatch(/^tpa_[0-9A-Za-z]{36}$/);
    expect(created.body.prefix).toBe(created.body.token.slice(0, 8));
    const listed = (await call('GET', '/tokens?limit=200')).body.data.find(
      (t: { id: string }) => t.id === created.body.id,
    );
    expect(listed).toEqual({ ...created.body, token: undefined, lastUsedAt: null });
    expect(JSON.stringify(listed)).not.toContain(created.body.token);
    const whoami = await call('GET', '/session', undefined, {
      authorization: `Bearer ${created.body.token}`,
    });
    expect(whoami.body).toEqual({ kind: 'token', id: created.body.id, name: 'ci', role: 'editor' });
    const after = (await call('GET', `/tokens/${created.body.id}`)).body;
    expect(Date.now() - Date.parse(after.lastUsedAt)).toBeLessThan(60_000);
  });

  it('stop working once expired or deleted', async () => {
    const created = await call('POST', '/tokens', { name: 'short', role: 'viewer' });
    const auth = { authorization: `Bearer ${created.body.token}` };
    expect((await call('GET', '/apis', undefined, auth)).status).toBe(200);
    await call('PATCH', `/tokens/${created.body.id}`, {
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    const expired = await call('GET', '/apis', undefined, auth);
    expect([expired.status, expired.body.detail]).toEqual([401, 'the admin token has expired']);
    await call('PATCH', `/tokens/${created.body.id}`, { expiresAt: null });
    expect((await call('GET', '/apis', undefined, auth)).status).toBe(200);
    expect((await call('DELETE', `/tokens/${created.body.id}`)).status).toBe(204);
    expect((await call('GET', '/apis', undefined, auth)).status).toBe(401);
  });

  it('admins manage admins, editors and viewers but not owners; editors manage none', async () => {
    expect((await call('POST', '/tokens', { name: 'x', role: 'viewer' }, as('editor'))).status).toBe(403);
    const byAdmin = await call('POST', '/tokens', { name: 'by-admin', role: 'admin' }, as('admin'));
    expect(byAdmin.status).toBe(201);
    const owner = await call('POST', '/tokens', { name: 'x', role: 'owner' }, as('admin'));
    expect([owner.status, owner.body.code]).toEqual([403, 'forbidden']);
    const promote = await call('PATCH', `/tokens/${byAdmin.body.id}`, { role: 'owner' }, as('admin'));
    expect(promote.status).toBe(403);
    const ownerRow = (await call('GET', '/tokens?limit=200')).body.data.find(
      (t: { name: string }) => t.name === 'e2e-owner',
    );
    expect((await call('DELETE', `/tokens/${ownerRow.id}`, undefined, as('admin'))).status).toBe(403);
    expect(
      (await call('PATCH', `/tokens/${byAdmin.body.id}`, { role: 'owner' }, as('owner'))).body.role,
    ).toBe('owner');
  });

  it('the last owner cannot be removed or demoted', async () => {
    const list = (await call('GET', '/tokens?limit=200')).body.data as { id: string; role: string }[];
    const owners = list.filter((t) => t.role === 'owner');
    // Demote all but one through TURNPIKE_ADMIN_TOKEN (an owner the store does not hold).
    for (const t of owners.slice(1)) await call('PATCH', `/tokens/${t.id}`, { role: 'admin' });
    const last = owners[0] as { id: string };
    const deleted = await call('DELETE', `/tokens/${last.id}`);
    expect([deleted.status, deleted.body.code]).toEqual([409, 'conflict']);
    expect((await call('PATCH', `/tokens/${last.id}`, { role: 'viewer' })).status).toBe(409);
    expect((await call('GET', `/tokens/${last.id}`)).body.role).toBe('owner');
    for (const t of owners.slice(1)) await call('PATCH', `/tokens/${t.id}`, { role: 'owner' });
  });
});

describe('admin users and console sessions', () => {
  const password = 'correct horse battery staple';
  let userId = '';

  it('signs in with a password, reads with the cookie, and writes only with the CSRF token', async () => {
    const created = await call('POST', '/admin-users', {
      email: 'Ada@Example.com',
      name: 'Ada',
      role: 'editor',
      password,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).not.toHaveProperty('password');
    expect(created.body.email).toBe('ada@example.com');
    userId = created.body.id;

    const wrong = await call(
      'POST',
      '/session',
      { email: 'ada@example.com', password: 'not the password' },
      {},
    );
    expect([wrong.status, wrong.body.code]).toEqual([401, 'sign-in-failed']);
    const unknown = await call('POST', '/session', { email: 'nobody@example.com', password }, {});
    expect([unknown.status, unknown.body.detail]).toEqual([401, wrong.body.detail]);

    const signedIn = await call('POST', '/session', { email: 'ADA@example.com', password }, {});
    expect(signedIn.status).toBe(201);
    const setCookie = signedIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^tp_admin_session=tps_[0-9A-Za-z]{40}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    );
    expect(signedIn.body).toMatchObject({
      kind: 'user',
      id: userId,
      name: 'ada@example.com',
      role: 'editor',
    });
    const cookie = { cookie: setCookie.split(';')[0] as string };
    const csrf = { ...cookie, 'x-csrf-token': signedIn.body.csrfToken as string };

    const again = await call('GET', '/session', undefined, cookie);
    expect(again.body.id).toBe(userId);
    // A reloaded console gets the same CSRF token from the cookie alone; token callers get none.
    expect(again.body.csrfToken).toBe(signedIn.body.csrfToken);
    expect((await call('GET', '/session')).body.csrfToken).toBeUndefined();
    const noCsrf = await call(
      'POST',
      '/upstreams',
      { name: 'by-ada', targets: [{ url: 'http://127.0.0.1:9' }] },
      cookie,
    );
    expect([noCsrf.status, noCsrf.body.code]).toEqual([403, 'csrf-token-invalid']);
    const badCsrf = await call(
      'POST',
      '/upstreams',
      { name: 'by-ada', targets: [{ url: 'http://127.0.0.1:9' }] },
      { ...cookie, 'x-csrf-token': 'guess' },
    );
    expect(badCsrf.status).toBe(403);
    expect((await call('GET', '/upstreams?name=by-ada')).body.data).toEqual([]);
    const made = await call(
      'POST',
      '/upstreams',
      { name: 'by-ada', targets: [{ url: 'http://127.0.0.1:9' }] },
      csrf,
    );
    expect(made.status).toBe(201);
    // An editor: no admin users.
    expect(
      (await call('POST', '/admin-users', { email: 'b@example.com', role: 'viewer', password }, csrf)).status,
    ).toBe(403);

    const event = (await call('GET', `/audit-events?objectId=${made.body.id}`)).body.data[0];
    expect(event).toMatchObject({
      actor: { kind: 'user', id: userId, name: 'ada@example.com', role: 'editor' },
      via: 'console',
      action: 'create',
    });

    expect((await call('DELETE', '/session', undefined, csrf)).status).toBe(204);
    const after = await call('GET', '/session', undefined, cookie);
    expect([after.status, after.body.detail]).toEqual([401, 'the session has ended; sign in again']);
  });

  it('a new password ends the sessions; the hash is argon2id, and the password is in no record', async () => {
    const signedIn = await call('POST', '/session', { email: 'ada@example.com', password }, {});
    const cookie = { cookie: (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string };
    expect((await call('GET', '/session', undefined, cookie)).status).toBe(200);
    const changed = await call('PATCH', `/admin-users/${userId}`, { password: 'a whole new passphrase' });
    expect(changed.status).toBe(200);
    expect((await call('GET', '/session', undefined, cookie)).status).toBe(401);
    expect((await call('POST', '/session', { email: 'ada@example.com', password }, {})).status).toBe(401);
    expect(
      (await call('POST', '/session', { email: 'ada@example.com', password: 'a whole new passphrase' }, {}))
        .status,
    ).toBe(201);
    const trail = JSON.stringify((await call('GET', '/audit-events?limit=200')).body);
    expect(trail).not.toContain(password);
    expect(trail).not.toContain('a whole new passphrase');
    expect(trail).not.toContain('$argon2id$');
  });

  it('a short password or a taken email is refused and changes nothing', async () => {
    const short = await call('POST', '/admin-users', {
      email: 'c@example.com',
      role: 'viewer',
      password: 'short',
    });
    expect([short.status, short.body.errors.map((e: { path: string }) => e.path)]).toEqual([
      400,
      ['body.password'],
    ]);
    const taken = await call('POST', '/admin-users', { email: 'ADA@example.com', role: 'viewer', password });
    expect(taken.status).toBe(409);
    const users = (await call('GET', '/admin-users')).body.data.map((u: { email: string }) => u.email);
    expect(users).toEqual(['ada@example.com']);
  });
});

describe('sign-in throttling', () => {
  it('refuses a sixth try within 15 minutes after five wrong passwords, even a right one, with Retry-After', async () => {
    const email = 'grace@example.com';
    const password = 'a long and correct password';
    const created = await call('POST', '/admin-users', { email, password, role: 'viewer' });
    expect(created.status).toBe(201);
    for (let i = 0; i < 5; i++) {
      const wrong = await call('POST', '/session', { email, password: `wrong password ${i}` }, {});
      expect(wrong.status).toBe(401);
    }
    const throttled = await call('POST', '/session', { email, password }, {});
    expect([throttled.status, throttled.body.code]).toEqual([429, 'sign-in-throttled']);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(800);
    // Another email from the same address is not held back.
    const other = await call('POST', '/session', { email: 'nobody-else@example.com', password }, {});
    expect(other.status).toBe(401);
  });
});

describe('the audit trail', () => {
  it('records create, update and delete with who, before and after; newest first', async () => {
    const created = await call(
      'POST',
      '/upstreams',
      { name: 'audited', targets: [{ url: 'http://127.0.0.1:9' }] },
      as('editor'),
    );
    const id = created.body.id as string;
    const updated = await call('PATCH', `/upstreams/${id}`, { targets: [{ url: 'http://127.0.0.1:10' }] });
    expect((await call('DELETE', `/upstreams/${id}`)).status).toBe(204);
    const events = (
      await call('GET', `/audit-events?objectType=upstream&objectId=${id}`, undefined, as('viewer'))
    ).body.data;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['delete', 'update', 'create']);
    const [deleted, changed, made] = events;
    expect(made).toMatchObject({
      actor: { kind: 'token', name: 'e2e-editor', role: 'editor' },
      via: 'admin-api',
      objectType: 'upstream',
      before: null,
      after: created.body,
      requestId: created.headers.get('x-request-id'),
      clientIp: '127.0.0.1',
    });
    expect(changed).toMatchObject({
      actor: { kind: 'env-token', id: null, role: 'owner' },
      before: created.body,
      after: updated.body,
    });
    expect(deleted).toMatchObject({ before: updated.body, after: null });
    expect((await call('GET', `/audit-events/${made.id}`)).body).toEqual(made);
  });

  it('keeps no secret: a new key and a new token are recorded without them', async () => {
    const up = await call('POST', '/upstreams', { name: 'keyed', targets: [{ url: 'http://127.0.0.1:9' }] });
    const acc = await call('POST', '/accounts', { name: 'keyed-acc' });
    const app = await call('POST', '/applications', { name: 'keyed-app', accountId: acc.body.id });
    const key = await call('POST', `/applications/${app.body.id}/keys`, { label: 'k' });
    const token = await call('POST', '/tokens', { name: 'secret-test', role: 'viewer' });
    expect(up.status + key.status + token.status).toBe(603);
    const trail = JSON.stringify((await call('GET', '/audit-events?limit=200')).body);
    expect(trail).toContain(key.body.id);
    expect(trail).not.toContain(key.body.key);
    expect(trail).not.toContain(token.body.token);
  });

  it('a refused write leaves no event', async () => {
    const before = (await call('GET', '/audit-events?limit=1')).body.data[0].id;
    await call('POST', '/apis', { name: 'bad', basePath: 'no-slash', upstreamId: 'ups_x' });
    await call('POST', '/upstreams', { name: 'x', targets: [{ url: 'http://127.0.0.1:9' }] }, as('viewer'));
    expect((await call('GET', '/audit-events?limit=1')).body.data[0].id).toBe(before);
  });

  it('records `turnpike apply` as an apply through the CLI, with its changes and each object', async () => {
    const file = `${tp?.dataDir}/audit-apply.yaml`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      file,
      [
        'upstreams:',
        '  - name: from-cli',
        '    targets: [{ url: "http://127.0.0.1:9" }]',
        'apis:',
        '  - name: from-cli',
        '    basePath: /from-cli',
        '    upstream: from-cli',
        '',
      ].join('\n'),
    );
    const applied = await runCli([
      'apply',
      '-f',
      file,
      '--admin-url',
      tp?.admin ?? '',
      '--token',
      tokens.editor,
    ]);
    expect(applied.code, applied.stderr).toBe(0);
    const event = (await call('GET', '/audit-events?action=apply')).body.data[0];
    expect(event).toMatchObject({
      actor: { name: 'e2e-editor', role: 'editor' },
      via: 'cli',
      objectType: 'config',
      after: {
        prune: false,
        changes: [
          { action: 'create', kind: 'upstream', name: 'from-cli' },
          { action: 'create', kind: 'api', name: 'from-cli' },
        ],
      },
    });
    const api = (await call('GET', '/apis/from-cli')).body;
    const created = (await call('GET', `/audit-events?objectType=api&objectId=${api.id}`)).body.data;
    expect(created).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ name: 'e2e-editor', role: 'editor' }),
        via: 'cli',
        action: 'create',
        objectType: 'api',
        objectId: api.id,
        before: null,
        after: api,
      }),
    ]);
  });

  it('filters by actor and time, and pages back through older events', async () => {
    const editorId = (await call('GET', '/session', undefined, as('editor'))).body.id;
    const byEditor = (await call('GET', `/audit-events?actorId=${editorId}`)).body.data;
    expect(byEditor.length).toBeGreaterThan(0);
    expect(byEditor.every((e: { actor: { id: string } }) => e.actor.id === editorId)).toBe(true);
    const future = (await call('GET', `/audit-events?since=${new Date(Date.now() + 60_000).toISOString()}`))
      .body.data;
    expect(future).toEqual([]);
    const first = (await call('GET', '/audit-events?limit=2')).body;
    const second = (await call('GET', `/audit-events?limit=2&cursor=${first.next}`)).body;
    expect(second.data[0].id < first.data[1].id).toBe(true);
  });
});
