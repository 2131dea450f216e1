// User story: "A developer finds the demo API in our portal, signs up, confirms the e-mail,
// creates an application, subscribes it to the free plan, makes a key and calls the API from the
// docs page — all without asking us. When a plan needs our approval, we approve it in the
// console and their next call goes through."
// Real Chromium over `turnpike start --demo`; axe-core on the main pages. With
// TURNPIKE_SCREENSHOTS=1 the main pages are saved to docs/screenshots/ for the README.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../support/admin-client.ts';
import { axeViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';
import { snap } from '../support/screenshots.ts';

describe('the developer portal and the console', () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let browser: Browser;
  /** The demo's console user, with the password the banner printed once. */
  const adminUser = { email: 'admin@example.com', password: '' };
  const developer = { email: 'dana@example.com', password: 'dana password 123' };

  beforeAll(async () => {
    tp = await startTurnpike({ args: ['--demo'] });
    admin = new AdminClient(tp.admin, tp.token);
    adminUser.password =
      /as admin@example\.com, password \(shown once\):\n {2}(\S+)/.exec(tp.output())?.[1] ?? '';
    expect(adminUser.password).toMatch(/^\w{20}$/);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
  });

  const consoleUrl = () => `${new URL(tp.admin).origin}/console`;

  /** A console page signed in as the provider. */
  async function consolePage(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${consoleUrl()}/signin`);
    await page.getByLabel('E-mail').fill(adminUser.email);
    await page.getByLabel('Password').fill(adminUser.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  }

  /** The link in the newest mail to `to`, read in the console's outbox. */
  async function linkFromOutbox(console: Page, to: string): Promise<string> {
    await console.goto(`${consoleUrl()}/outbox`);
    await console
      .getByRole('row', { name: new RegExp(to) })
      .first()
      .getByRole('link')
      .click();
    const text = await console.getByRole('article', { name: 'Message text' }).innerText();
    const link = /https?:\/\/\S+/.exec(text)?.[0];
    if (!link) throw new Error(`no link in the mail to ${to}: ${text}`);
    return link;
  }

  /** Creates an application with a key on the developer's page; returns the key. */
  async function applicationWithKey(page: Page, name: string): Promise<string> {
    await page.goto(`${tp.portal}/applications/new`);
    await page.getByLabel('Name').fill(name);
    await page.getByRole('button', { name: 'Create application' }).click();
    await page.getByRole('button', { name: 'Create key' }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByRole('dialog').getByLabel('API key').inputValue();
    expect(key).toMatch(/^tp_live_/);
    await snap(page, 'portal-key');
    await page.getByRole('button', { name: 'I have stored the key' }).click();
    return key;
  }

  /** Calls GET /hello from the demo API's page with `key`; returns the status the page shows. */
  async function tryIt(page: Page, key: string): Promise<string> {
    await page.goto(`${tp.portal}/apis/demo`);
    await page.getByLabel('Path').fill('/hello?name=dana');
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Send request' }).click();
    const status = page
      .locator('[aria-live="polite"]')
      .getByText(/^\d{3}$/)
      .first();
    await status.waitFor();
    return status.innerText();
  }

  it('a new developer signs up, verifies the e-mail from the outbox, subscribes, gets a key and calls the API', async () => {
    const page = await browser.newPage();
    await page.goto(`${tp.portal}/signup`);
    await page.getByLabel('Your name').fill('Dana');
    await page.getByLabel('Organization').fill('Dana Apps');
    await page.getByLabel('E-mail').fill(developer.email);
    await page.getByLabel('Password').fill(developer.password);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page
      .getByText(/check your e-mail/i)
      .first()
      .waitFor();

    const console = await consolePage();
    const link = await linkFromOutbox(console, developer.email);
    await snap(console, 'console-outbox');
    expect(link).toMatch(new RegExp(`^${tp.portal}/verify-email\\?token=`));
    await page.goto(link);
    await page
      .getByText(/verified/i)
      .first()
      .waitFor();

    await page.goto(`${tp.portal}/signin`);
    await page.getByLabel('E-mail').fill(developer.email);
    await page.getByLabel('Password').fill(developer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Applications' }).waitFor();
    await page.goto(`${tp.portal}/apis`);
    await page.getByRole('link', { name: 'demo' }).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await snap(page, 'portal-catalog');

    const key = await applicationWithKey(page, 'dana-app');
    await page.getByRole('tab', { name: 'Subscriptions' }).click();
    await page.getByRole('link', { name: 'Subscribe to a plan' }).first().click();
    await page.getByRole('radio', { name: /free/ }).check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByText('Subscribed').first().waitFor();

    expect(await tryIt(page, key)).toBe('200');
    expect(await page.locator('[aria-live="polite"]').innerText()).toContain('/demo/v1/hello?name=dana');
    expect(await axeViolations(page)).toEqual([]);
    await snap(page, 'portal-api-page');

    // The same application as an OAuth client: a client secret, shown once.
    await page.goto(`${tp.portal}/applications`);
    await page.getByRole('link', { name: 'dana-app' }).click();
    await page.getByRole('tab', { name: 'OAuth' }).click();
    await page.getByRole('button', { name: 'Create client secret' }).click();
    const secret = await page.getByRole('dialog').getByLabel('Client secret').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    await page.getByRole('button', { name: /^Revoke client secret/ }).waitFor();
    // Checked once the dialog has faded out: mid-fade its text is faint on purpose.
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
    await console.close();
  });

  it('an admin approves a pending subscription in the console, and the developer’s next call succeeds', async () => {
    // A second product on the demo API whose plan needs approval.
    const demoApi = (await admin.call('GET', '/apis?name=demo')).body.data[0];
    const product = await admin.create('/products', { name: 'demo-partner', apiIds: [demoApi.id] });
    await admin.create('/plans', { productId: product.id, name: 'partner', approval: 'manual' });

    const page = await browser.newPage();
    await page.goto(`${tp.portal}/signin`);
    await page.getByLabel('E-mail').fill(developer.email);
    await page.getByLabel('Password').fill(developer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Applications' }).waitFor();
    const key = await applicationWithKey(page, 'dana-partner-app');
    await page.getByRole('tab', { name: 'Subscriptions' }).click();
    await page.getByRole('link', { name: 'Subscribe to a plan' }).first().click();
    await page.getByRole('radio', { name: /partner/ }).check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByText('Waiting for approval').first().waitFor();
    expect(await tryIt(page, key)).toBe('403');

    const console = await consolePage();
    await console.goto(`${consoleUrl()}/approvals`);
    const approve = console.getByRole('button', { name: 'Approve subscription dana-partner-app on partner' });
    await console.getByRole('cell', { name: 'demo-partner', exact: true }).waitFor();
    expect(await axeViolations(console)).toEqual([]);
    await snap(console, 'console-approvals');
    await approve.click();
    await console
      .getByText(/no subscriptions wait/i)
      .first()
      .waitFor();

    expect(await tryIt(page, key)).toBe('200');
    // The call shows in the application's usage.
    await page.goto(`${tp.portal}/applications`);
    await page.getByRole('link', { name: 'dana-partner-app' }).click();
    await page.getByRole('tab', { name: 'Usage' }).click();
    // Metered within a second or so: look again until it is there.
    const chart = page.locator('figcaption', { hasText: 'Calls per day, last 30 days' });
    for (let tries = 0; !(await chart.isVisible()) && tries < 20; tries++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    expect(await chart.innerText()).toContain('1 call in 30 days');
    await snap(page, 'portal-usage');
    await page.close();
    await console.close();
  });

  it('a member invited to the account signs up from the link and sees its applications', async () => {
    const owner = await browser.newPage();
    await owner.goto(`${tp.portal}/signin`);
    await owner.getByLabel('E-mail').fill(developer.email);
    await owner.getByLabel('Password').fill(developer.password);
    await owner.getByRole('button', { name: 'Sign in' }).click();
    await owner.getByRole('heading', { name: 'Applications' }).waitFor();
    await owner.goto(`${tp.portal}/account`);
    await owner.getByLabel('E-mail').fill('milo@example.com');
    await owner.getByLabel('Role').selectOption('member');
    await owner.getByRole('button', { name: 'Send invitation' }).click();
    await owner.getByRole('button', { name: 'Withdraw invitation milo@example.com' }).waitFor();
    expect(await axeViolations(owner)).toEqual([]);
    await snap(owner, 'portal-account');

    const console = await consolePage();
    const link = await linkFromOutbox(console, 'milo@example.com');
    expect(link).toMatch(new RegExp(`^${tp.portal}/accept-invitation\\?token=`));
    const milo = await browser.newPage();
    await milo.goto(link);
    await milo.getByLabel('Your name').fill('Milo');
    await milo.getByLabel('Password').fill('milo password 123');
    await milo.getByRole('button', { name: 'Join account' }).click();
    await milo.waitForURL(/\/applications$/);
    await milo.getByRole('link', { name: 'dana-app', exact: true }).waitFor();
    await milo.getByRole('link', { name: 'dana-partner-app' }).waitFor();
    for (const page of [owner, console, milo]) await page.close();
  });

  it('works on a phone-sized screen: the menu folds behind a button', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${tp.portal}/signin`);
    await page.getByLabel('E-mail').fill(developer.email);
    await page.getByLabel('Password').fill(developer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const menu = page.getByRole('button', { name: /navigation|menu/i }).first();
    await menu.waitFor();
    await menu.click();
    await page.getByRole('link', { name: 'Applications' }).first().click();
    await page.getByRole('link', { name: 'dana-app' }).waitFor();
    await snap(page, 'portal-phone');
    await page.close();
  });
});
