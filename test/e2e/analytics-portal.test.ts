// User story: "On the portal I see how my application's calls went — how many, how many failed,
// how fast, which status codes and routes — and how much of my plan's limit is left, and I can
// take the numbers away as CSV; nobody else's calls are in them." Real Chromium over
// `turnpike start --demo`, a developer who signed up through the portal API, and known traffic
// from their application (3 × 200, 1 × 404) and from another account's (5 × 200, 2 × 404).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, provisionApp } from '../support/admin-client.ts';
import { axeViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';
import { send, within } from '../support/http.ts';
import { snap } from '../support/screenshots.ts';

/** An upstream that answers 404 under /missing and 200 elsewhere. */
async function shopUpstream(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const missing = (req.url ?? '').includes('/missing');
    res.writeHead(missing ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(missing ? { error: 'no such item' } : { items: [1, 2, 3] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("a developer's usage tab on the portal", () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let browser: Browser;
  let upstream: { server: Server; url: string };
  const developer = { email: 'uma@example.com', password: 'uma password 1234' };
  let applicationId = '';
  let rivalApplicationId = '';

  /** POST to the portal API as a browser would, without a session (sign-up, e-mail links). */
  const portalPost = (path: string, body: unknown) =>
    fetch(`${tp.portal}/portal/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: tp.portal },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    upstream = await shopUpstream();
    tp = await startTurnpike({ args: ['--demo'], env: { TURNPIKE_USAGE_INTERVAL_MS: '200' } });
    admin = new AdminClient(tp.admin, tp.token);

    const target = await admin.create('/upstreams', {
      name: 'shop-upstream',
      targets: [{ url: upstream.url }],
    });
    const api = await admin.create('/apis', { name: 'shop', basePath: '/shop/v1', upstreamId: target.id });
    await admin.create(`/apis/${api.id}/routes`, { name: 'items', path: '/*' });
    const product = await admin.create('/products', { name: 'shop', apiIds: [api.id] });
    const plan = await admin.create('/plans', {
      productId: product.id,
      name: 'basic',
      limits: [{ metric: 'hits', period: 'day', max: 100 }],
    });

    // The developer signs up and follows the link in the mail.
    const signUp = await portalPost('/signup', {
      name: 'Uma',
      organization: 'Uma Apps',
      email: developer.email,
      password: developer.password,
    });
    expect(signUp.status, await signUp.clone().text()).toBeLessThan(300);
    const mail = (await admin.call('GET', '/outbox')).body.data.find(
      (m: { to: string }) => m.to === developer.email,
    );
    const text: string = (await admin.call('GET', `/outbox/${mail.id}`)).body.text;
    const token = decodeURIComponent(/verify-email\?token=([^\s&]+)/.exec(text)?.[1] ?? '');
    expect((await portalPost('/verify-email', { token })).status).toBeLessThan(300);
    const accountId = (await admin.call('GET', `/developers?email=${developer.email}`)).body.data[0]
      .accounts[0].id;

    // Their application, and another account's, on the same plan.
    const application = await admin.create('/applications', { accountId, name: 'uma-shop' });
    applicationId = application.id;
    await admin.create('/subscriptions', { applicationId, planId: plan.id });
    const key = (await admin.create(`/applications/${applicationId}/keys`, { label: 'uma' })).key;
    const rival = await provisionApp(admin, 'rival', plan.id);
    rivalApplicationId = rival.applicationId;

    await within(10_000, async () => {
      const status = (await admin.call('GET', '/status')).body;
      return status.snapshotVersion !== null && status.snapshotVersion >= status.revision;
    });
    const call = (apiKey: string, path: string) =>
      send(`${tp.gateway}/shop/v1${path}`, { headers: { 'x-api-key': apiKey } });
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push((await call(key, `/items/${i}`)).status);
    sent.push((await call(key, '/missing/1')).status);
    for (let i = 0; i < 5; i++) sent.push((await call(rival.key, `/items/${i}`)).status);
    for (let i = 0; i < 2; i++) sent.push((await call(rival.key, `/missing/${i}`)).status);
    expect(sent.filter((s) => s === 404)).toHaveLength(3);
    await within(15_000, async () => (await admin.call('GET', '/analytics/summary')).body.requests === 11);

    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
    upstream?.server.close();
  });

  it('shows the calls and errors of their own application only, with limits and CSV', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${tp.portal}/signin`);
    await page.getByLabel('E-mail').fill(developer.email);
    await page.getByLabel('Password').fill(developer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Applications' }).waitFor();
    await page.getByRole('link', { name: 'uma-shop' }).click();
    await page.getByRole('tab', { name: 'Usage' }).click();

    const traffic = page.getByRole('region', { name: 'Traffic' });
    await traffic.getByRole('group', { name: 'Calls' }).getByText('4', { exact: true }).waitFor();
    expect(await traffic.getByRole('group', { name: 'Error rate' }).innerText()).toMatch(/25%[\s\S]*1 × 4xx/);
    const statuses = traffic.getByRole('table', { name: 'Calls by status code' });
    expect(await statuses.getByRole('row', { name: /200 OK/ }).innerText()).toMatch(/\b3\b/);
    expect(await statuses.getByRole('row', { name: /404 Not Found/ }).innerText()).toMatch(/\b1\b/);
    expect(
      await traffic.getByRole('table', { name: 'Calls by route' }).getByRole('row').nth(1).innerText(),
    ).toMatch(/shop\/items\s+4\b/);
    // The other account's 7 calls are nowhere: not in the totals, not in the chart.
    expect(
      await traffic.getByRole('img', { name: /^Calls per hour/ }).getAttribute('aria-labelledby'),
    ).toBeTruthy();
    expect(await traffic.locator('figcaption', { hasText: /^Calls per hour/ }).innerText()).toContain(
      '4 in total, 1 of them errors',
    );
    const rival = await page.evaluate(
      async (id) => (await fetch(`/portal/v1/applications/${id}/analytics/summary`)).status,
      rivalApplicationId,
    );
    expect(rival).toBe(404);

    // The limit of the plan, as a bar: what is used of today's 100 calls.
    await page
      .getByRole('progressbar', { name: 'hits per day: 4 of 100 used' })
      .waitFor({ timeout: 10_000 })
      .catch(async () => {
        await page.reload();
        await page.getByRole('progressbar', { name: 'hits per day: 4 of 100 used' }).waitFor();
      });

    // Another range, kept in the URL; the same calls.
    await traffic.getByText('7 d', { exact: true }).click();
    await page.waitForURL(/usage\?range=7d$/);
    await traffic.getByRole('group', { name: 'Calls' }).getByText('4', { exact: true }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      traffic.getByRole('button', { name: 'Export CSV of calls over time' }).click(),
    ]);
    const [header = '', ...rows] = readFileSync(await download.path(), 'utf8')
      .trim()
      .split(/\r?\n/);
    const column = header.split(',').indexOf('requests');
    expect(rows.reduce((sum, row) => sum + Number(row.split(',')[column]), 0)).toBe(4);

    expect(await axeViolations(page)).toEqual([]);
    await snap(page, 'portal-usage-analytics');
    await page.close();
  });

  it('keeps the range in the URL, so a reload or a shared link shows the same', async () => {
    const page = await browser.newPage();
    await page.goto(`${tp.portal}/signin`);
    await page.getByLabel('E-mail').fill(developer.email);
    await page.getByLabel('Password').fill(developer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Applications' }).waitFor();
    await page.goto(`${tp.portal}/applications/${applicationId}/usage?range=30d`);
    const calls = page.getByRole('region', { name: 'Traffic' }).getByRole('group', { name: 'Calls' });
    await calls.getByText('4', { exact: true }).waitFor();
    expect(await page.getByRole('radio', { name: '30 d' }).isChecked()).toBe(true);
    expect(
      await page
        .getByText(/in the last 30 days/)
        .first()
        .isVisible(),
    ).toBe(true);
    await page.close();
  });
});
