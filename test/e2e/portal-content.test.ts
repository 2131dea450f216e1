// User story: "We make the portal ours — our name and colour, an FAQ, a question we ask every
// new developer — and we answer what developers send through the contact form." Real Chromium
// over `turnpike start --demo`: the console sets it up, the portal shows it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../support/admin-client.ts';
import { launchChromium } from '../support/browser.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';
import { snap } from '../support/screenshots.ts';

describe('portal content from the console', () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let browser: Browser;
  let console: Page;

  beforeAll(async () => {
    tp = await startTurnpike({ args: ['--demo'] });
    admin = new AdminClient(tp.admin, tp.token);
    browser = await launchChromium();
    console = await browser.newPage();
    const password =
      /as admin@example\.com, password \(shown once\):\n {2}(\S+)/.exec(tp.output())?.[1] ?? '';
    await console.goto(`${new URL(tp.admin).origin}/console/signin`);
    await console.getByLabel('E-mail').fill('admin@example.com');
    await console.getByLabel('Password').fill(password);
    await console.getByRole('button', { name: 'Sign in' }).click();
    await console.getByRole('button', { name: 'Sign out' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
  });

  it('brands the portal, publishes an FAQ and asks a sign-up question', async () => {
    await console.goto(`${new URL(tp.admin).origin}/console/portal/branding`);
    await console.getByLabel('Portal name').fill('Acme Developers');
    await console.getByRole('button', { name: 'Save branding' }).click();
    await console.getByText('Branding saved').waitFor();

    await console.goto(`${new URL(tp.admin).origin}/console/portal/pages/new`);
    await console.getByLabel('Title').fill('How do I get a key?');
    await console.getByLabel('Kind').selectOption('faq');
    await console.getByLabel('Published').check();
    await console.getByLabel('Body').fill('Create an application, then **Create key**.');
    await console.getByRole('button', { name: 'Create page' }).click();
    await console.getByRole('link', { name: 'How do I get a key?', exact: true }).waitFor();

    await console.goto(`${new URL(tp.admin).origin}/console/portal/fields`);
    await console.getByRole('button', { name: 'Add account field' }).click();
    await console.getByLabel('Label').fill('Company size');
    await console.getByLabel('Name').fill('size');
    await console.getByLabel('Type').selectOption('choice');
    await console.getByLabel('Choices').fill('1-10\n11-100\nmore');
    await console.getByLabel('Required').check();
    await console.getByRole('button', { name: 'Add field' }).click();
    await console.getByRole('button', { name: 'Edit account field Company size' }).waitFor();

    const visitor = await browser.newPage();
    await visitor.goto(`${tp.portal}/faq`);
    await visitor.getByRole('heading', { name: 'Frequently asked questions' }).waitFor();
    expect(await visitor.title()).toContain('Acme Developers');
    await visitor.getByRole('button', { name: 'How do I get a key?' }).click();
    await visitor.getByText('Create an application, then').waitFor();
    await snap(visitor, 'portal-faq');

    // The question is asked at sign-up, and the answer lands on the account.
    await visitor.goto(`${tp.portal}/signup`);
    await visitor.getByLabel('Your name').fill('Kim');
    await visitor.getByLabel('Organization').fill('Kim Co');
    await visitor.getByLabel('E-mail').fill('kim@example.com');
    await visitor.getByLabel('Password').fill('kim password 1234');
    await visitor.getByLabel('Company size').selectOption('11-100');
    await visitor.getByRole('button', { name: 'Create account' }).click();
    await visitor
      .getByText(/check your e-mail/i)
      .first()
      .waitFor();
    const account = (await admin.call('GET', '/accounts?name=kim-co')).body.data[0];
    expect(account.customFields).toEqual({ size: '11-100' });
    await visitor.close();
  });

  it('takes a question through the contact form into the console inbox', async () => {
    const visitor = await browser.newPage();
    await visitor.goto(`${tp.portal}/contact`);
    await visitor.getByLabel('Subject').fill('Higher limits?');
    await visitor.getByLabel('Message').fill('Can we get 10,000 calls a day?');
    await visitor.getByLabel('E-mail').fill('lee@example.com');
    await visitor.getByRole('button', { name: 'Send message' }).click();
    await visitor.getByText('Message sent').waitFor();
    await visitor.close();

    await console.goto(`${new URL(tp.admin).origin}/console/portal/inbox`);
    await console.getByRole('link', { name: 'Higher limits?' }).click();
    await console.getByText('Can we get 10,000 calls a day?').waitFor();
    const messages = (await admin.call('GET', '/portal/messages')).body.data;
    expect(messages).toEqual([
      expect.objectContaining({ subject: 'Higher limits?', email: 'lee@example.com', state: 'read' }),
    ]);
  });
});
