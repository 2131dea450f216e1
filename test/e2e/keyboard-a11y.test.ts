// User story: "I work without a mouse, with a screen reader." Every main page of the console and
// of the portal passes axe-core (no serious or critical violations), and signing in, moving
// between sections and opening an item work with the keyboard alone. Real Chromium over
// `turnpike start --demo`.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../support/admin-client.ts';
import { axeViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';

/** Presses Tab until the focused element's text matches, at most `max` times. */
async function tabTo(page: Page, text: RegExp, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = (
        globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }
      ).document.activeElement;
      return el?.textContent ?? '';
    });
    if (text.test(focused)) return;
  }
  throw new Error(`no focusable element matching ${text} within ${max} tabs`);
}

describe('keyboard and screen-reader use', () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let browser: Browser;
  let page: Page;
  let consoleUrl = '';

  beforeAll(async () => {
    tp = await startTurnpike({ args: ['--demo'] });
    admin = new AdminClient(tp.admin, tp.token);
    browser = await launchChromium();
    page = await browser.newPage();
    consoleUrl = `${new URL(tp.admin).origin}/console`;
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
  });

  it('signs in to the console with the keyboard alone', async () => {
    const password =
      /as admin@example\.com, password \(shown once\):\n {2}(\S+)/.exec(tp.output())?.[1] ?? '';
    await page.goto(`${consoleUrl}/signin`);
    await page.getByLabel('E-mail').waitFor();
    await page.keyboard.press('Tab');
    // The first field may be preceded by a skip link; type where the e-mail field is focused.
    while (!(await page.getByLabel('E-mail').evaluate((el) => el === el.ownerDocument.activeElement)))
      await page.keyboard.press('Tab');
    await page.keyboard.type('admin@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  it('moves between sections and opens an item with Tab and Enter', async () => {
    await tabTo(page, /^APIs$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/apis$/);
    await tabTo(page, /^demo$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/apis\/api_/);
    await page.getByRole('heading', { name: 'demo' }).first().waitFor();
  });

  const consolePages = [
    '/',
    '/approvals',
    '/analytics',
    '/analytics/requests',
    '/alerts',
    '/alerts/new',
    '/upstreams',
    '/upstreams/new',
    '/apis',
    '/apis/import',
    '/policies',
    '/products',
    '/accounts',
    '/applications',
    '/outbox',
    '/portal/branding',
    '/portal/pages',
    '/portal/fields',
    '/portal/inbox',
  ];

  it('has no serious accessibility violation on any main console page', async () => {
    const api = (await admin.call('GET', '/apis?name=demo')).body.data[0];
    const plan = (await admin.call('GET', '/plans')).body.data[0];
    const account = (await admin.call('GET', '/accounts')).body.data[0];
    const application = (await admin.call('GET', '/applications')).body.data[0];
    const found: Record<string, string[]> = {};
    for (const path of [
      ...consolePages,
      `/apis/${api.id}`,
      `/apis/${api.id}/routes`,
      `/apis/${api.id}/policies`,
      `/plans/${plan.id}`,
      `/accounts/${account.id}`,
      `/applications/${application.id}`,
    ]) {
      await page.goto(`${consoleUrl}${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      // Let queries settle so the page is checked as people see it, not while loading.
      await page.waitForLoadState('networkidle');
      const violations = await axeViolations(page);
      if (violations.length > 0) found[path] = violations;
    }
    expect(found).toEqual({});
  });

  it('has no serious accessibility violation on the public portal pages, and signs up by keyboard', async () => {
    const portal = new URL(tp.portal).origin;
    const found: Record<string, string[]> = {};
    for (const path of [
      '/',
      '/apis',
      '/signin',
      '/signup',
      '/forgot-password',
      '/guides',
      '/faq',
      '/contact',
    ]) {
      await page.goto(`${portal}${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      const violations = await axeViolations(page);
      if (violations.length > 0) found[path] = violations;
    }
    expect(found).toEqual({});

    await page.goto(`${portal}/signup`);
    await page.getByLabel('Your name').focus();
    await page.keyboard.type('Kim Keys');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Keyboard Co');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kim@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('correct horse battery staple');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/signup\/check-email/);
    const developers = (await admin.call('GET', '/developers?limit=100')).body.data;
    expect(developers.map((d: { email: string }) => d.email)).toContain('kim@example.com');
  });
});
