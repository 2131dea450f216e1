// User story: "I watch our traffic in the console: how many calls, how many failed and how fast,
// which applications call most, and when something fails I click through to the very requests
// — with the keyboard too — and export what I see for a spreadsheet." Real Chromium over
// `turnpike start --demo` with an API of our own whose upstream answers 404 for /missing; a
// global request-log policy; known traffic (8 × 200, 2 × 404) through the gateway.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, type ProvisionedApp, provisionApp, provisionPlan } from '../support/admin-client.ts';
import { axeViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';
import { send, within } from '../support/http.ts';
import { snap } from '../support/screenshots.ts';

/** An upstream that answers 404 under /missing and 200 elsewhere. */
async function shopUpstream(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const missing = (req.url ?? '').includes('/missing');
    const body = JSON.stringify(missing ? { error: 'no such item' } : { items: [1, 2, 3] });
    res.writeHead(missing ? 404 : 200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The CSV a click downloads, as rows of objects by the header's names. */
async function downloadedCsv(page: Page, click: () => Promise<void>): Promise<Record<string, string>[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const text = readFileSync(await download.path(), 'utf8');
  const [header = '', ...lines] = text.trim().split(/\r?\n/);
  const names = header.split(',');
  // The columns these tests read hold no commas.
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [names[i], value])));
}

describe('analytics in the console', () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let browser: Browser;
  let page: Page;
  let upstream: { server: Server; url: string };
  let app: ProvisionedApp;
  /** Whether POST /policies took the request-log policy (it may not exist in every build). */
  let requestLog = false;
  /** When the test traffic ran: its hour of the day is the busiest. */
  let trafficAt = 0;

  beforeAll(async () => {
    upstream = await shopUpstream();
    tp = await startTurnpike({ args: ['--demo'], env: { TURNPIKE_USAGE_INTERVAL_MS: '200' } });
    admin = new AdminClient(tp.admin, tp.token);
    const policy = await admin.call('POST', '/policies', { name: 'request-log', config: {} });
    requestLog = policy.status === 201;
    if (!requestLog) console.warn(`request-log policy not available: ${JSON.stringify(policy.body)}`);

    const shopUpstreamResource = await admin.create('/upstreams', {
      name: 'shop-upstream',
      targets: [{ url: upstream.url }],
    });
    const api = await admin.create('/apis', {
      name: 'shop',
      basePath: '/shop/v1',
      upstreamId: shopUpstreamResource.id,
    });
    await admin.create(`/apis/${api.id}/routes`, { name: 'items', path: '/*' });
    app = await provisionApp(admin, 'shop-client', await provisionPlan(admin, 'shop', [api.id]));
    // The gateway serves what was just configured: then every call below counts as sent.
    await within(10_000, async () => {
      const status = (await admin.call('GET', '/status')).body;
      return status.snapshotVersion !== null && status.snapshotVersion >= status.revision;
    });
    const call = (path: string) =>
      send(`${tp.gateway}/shop/v1${path}`, { headers: { 'x-api-key': app.key } });
    const statuses = [];
    trafficAt = Date.now();
    for (let i = 0; i < 8; i++) statuses.push((await call(`/items/${i}`)).status);
    for (let i = 0; i < 2; i++) statuses.push((await call(`/missing/${i}`)).status);
    expect(statuses.sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 404, 404]);
    await within(15_000, async () => (await admin.call('GET', '/analytics/summary')).body.requests === 10);
    if (requestLog)
      await within(
        15_000,
        async () => (await admin.call('GET', '/analytics/requests')).body.items.length === 10,
      );

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const password =
      /as admin@example\.com, password \(shown once\):\n {2}(\S+)/.exec(tp.output())?.[1] ?? '';
    await page.goto(`${new URL(tp.admin).origin}/console/signin`);
    await page.getByLabel('E-mail').fill('admin@example.com');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
    upstream?.server.close();
  });

  const consoleUrl = () => `${new URL(tp.admin).origin}/console`;

  it('the overview shows the last 24 hours and leads to the dashboard', async () => {
    const traffic = page.getByRole('region', { name: 'Traffic, last 24 hours' });
    await traffic.getByRole('group', { name: 'Requests' }).getByText('10', { exact: true }).waitFor();
    expect(await traffic.getByRole('group', { name: 'Error rate' }).innerText()).toContain('20%');
    await traffic.getByRole('link', { name: 'Open the analytics' }).click();
    await page.waitForURL(/\/console\/analytics\?range=24h$/);
  });

  it('the dashboard adds the traffic up, breaks it down, and passes axe', async () => {
    await page.getByRole('link', { name: 'Analytics' }).first().click();
    const summary = page.getByRole('region', { name: 'Summary' });
    await summary.getByRole('group', { name: 'Requests' }).getByText('10', { exact: true }).waitFor();
    expect(await summary.getByRole('group', { name: 'Error rate' }).innerText()).toMatch(/20%[\s\S]*2 × 4xx/);

    const statuses = page.getByRole('table', { name: 'Status codes' });
    await statuses.getByRole('row', { name: /200 OK/ }).waitFor();
    expect(await statuses.getByRole('row', { name: /200 OK/ }).innerText()).toMatch(/\b8\b/);
    expect(await statuses.getByRole('row', { name: /404 Not Found/ }).innerText()).toMatch(/\b2\b/);
    const apps = page.getByRole('table', { name: 'Top applications' });
    expect(await apps.getByRole('row', { name: /shop-client-app/ }).innerText()).toMatch(/\b10\b/);
    await page
      .getByRole('table', { name: 'Usage per plan' })
      .getByRole('row', { name: /shop\/shop-plan/ })
      .waitFor();
    await page.getByRole('img', { name: /^Requests by hour of the day: busiest/ }).waitFor();

    expect(await axeViolations(page)).toEqual([]);
    await snap(page, 'console-analytics');
  });

  it('exports the traffic, a top list and the status codes as CSV', async () => {
    const traffic = await downloadedCsv(page, () =>
      page.getByRole('button', { name: 'Export CSV of traffic over time' }).click(),
    );
    expect(traffic.reduce((sum, row) => sum + Number(row.requests), 0)).toBe(10);
    expect(traffic.reduce((sum, row) => sum + Number(row.clientErrors), 0)).toBe(2);
    const apps = await downloadedCsv(page, () =>
      page.getByRole('button', { name: 'Export CSV of top applications' }).click(),
    );
    expect(apps).toEqual([
      expect.objectContaining({ id: app.applicationId, name: 'shop-client-app', requests: '10' }),
    ]);
    const statuses = await downloadedCsv(page, () =>
      page.getByRole('button', { name: 'Export CSV of status codes' }).click(),
    );
    expect(statuses.map((row) => `${row.id}:${row.requests}`)).toEqual(['200:8', '404:2']);
  });

  it('drills down from the 4xx count to exactly those requests, and exports them', async () => {
    if (!requestLog) return;
    await page.getByRole('region', { name: 'Summary' }).getByRole('link', { name: '2 × 4xx' }).click();
    await page.waitForURL(/\/analytics\/requests\?.*statusClass=4xx/);
    const rows = page.getByRole('table', { name: 'Logged requests, newest first' }).getByRole('row');
    await rows.nth(1).waitFor();
    await page.getByText('2 requests shown.').waitFor();
    const texts = await rows.allInnerTexts();
    expect(texts.slice(1).every((row) => /\/shop\/v1\/missing\/\d/.test(row) && /\b404\b/.test(row))).toBe(
      true,
    );
    expect(await axeViolations(page)).toEqual([]);
    await snap(page, 'console-request-log');

    const exported = await downloadedCsv(page, () =>
      page.getByRole('button', { name: /^Export CSV of the request log/ }).click(),
    );
    expect(exported.map((row) => `${row.status} ${row.path}`).sort()).toEqual([
      '404 /shop/v1/missing/0',
      '404 /shop/v1/missing/1',
    ]);

    // One of them in full: its headers, the key redacted.
    await rows.nth(1).getByRole('link').click();
    await page.getByRole('heading', { name: /GET \/shop\/v1\/missing\/\d → 404/ }).waitFor();
    const headers = page.getByRole('table', { name: 'Request headers' });
    expect(await headers.getByRole('row', { name: /x-api-key/ }).innerText()).toContain('[redacted]');
    expect(await axeViolations(page)).toEqual([]);
    await snap(page, 'console-request');
  });

  it('drills down by keyboard: Tab to a status code or a chart point, Enter', async () => {
    if (!requestLog) return;
    await page.goto(`${consoleUrl()}/analytics?range=24h`);
    const statuses = page.getByRole('table', { name: 'Status codes' });
    await statuses.getByRole('row', { name: /404 Not Found/ }).waitFor();
    await page.getByRole('button', { name: 'Export CSV of status codes' }).focus();
    const focused = async () => (await page.locator(':focus').textContent()) ?? '';
    for (let tabs = 0; tabs < 4 && !/404 Not Found/.test(await focused()); tabs++)
      await page.keyboard.press('Tab');
    expect(await focused()).toContain('404 Not Found');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/analytics\/requests\?.*status=404/);
    await page.getByText('2 requests shown.').waitFor();

    // The requests chart: one tab stop, on the point with traffic; Enter opens its minutes' log.
    await page.goBack();
    // Back on the dashboard, the chart's points come with its data: wait for the tab stop first.
    const requestsChart = page.getByRole('group', { name: /^Requests per \w+: one link per point/ });
    await requestsChart.locator('a[tabindex="0"]').waitFor();
    await page.getByRole('button', { name: 'Export CSV of traffic over time' }).focus();
    await page.keyboard.press('Tab');
    const point = (await page.locator(':focus').getAttribute('aria-label')) ?? '';
    expect(point).toMatch(/Successful \(below 400\) \d+, Client errors \(4xx\) \d+.*Show these requests/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/analytics\/requests\?range=custom&from=/);
    await page.getByRole('table', { name: 'Logged requests, newest first' }).waitFor();
  });

  it('drills down from the busiest hour to its requests, in the browser’s time zone', async () => {
    if (!requestLog) return;
    await page.goto(`${consoleUrl()}/analytics?range=24h`);
    // The hour the traffic ran in, as the browser reads it (new Date().getHours() then).
    const hour = await page.evaluate((at) => new Date(at).getHours(), trafficAt);
    const hh = (h: number) => String(h % 24).padStart(2, '0');
    const span = `${hh(hour)}:00–${hh(hour + 1)}:00`;
    const bars = page.getByRole('group', { name: /^Requests by hour of the day: one link per point/ });
    await bars.getByRole('link', { name: `${span}: Requests 10. Show these requests` }).click();
    await page.waitForURL(new RegExp(`/analytics/requests\\?.*hourOfDay=${hour}&utcOffsetMinutes=-?\\d+`));
    await page.getByText('10 requests shown.').waitFor();
    const chip = page.getByRole('button', { name: `Remove filter Hour ${span}` });
    await chip.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await chip.click();
    await page.waitForURL((url) => !url.search.includes('hourOfDay') && !url.search.includes('utcOffset'));
    await page.getByText('10 requests shown.').waitFor();
  });

  it('says how to turn the request log on when nothing is logged', async () => {
    await page.goto(`${consoleUrl()}/analytics/requests?statusClass=5xx`);
    await page.getByText(requestLog ? 'No logged requests match' : 'The request log is off').waitFor();
    if (!requestLog) await page.getByRole('link', { name: 'Open the policies' }).waitFor();
    await page.goto(
      `${consoleUrl()}/analytics?range=custom&from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z`,
    );
    await page.getByText('No traffic in this range').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
