// User story: "I run our API program from the console: I add an upstream, import our OpenAPI file
// as an API with its routes, put a rate limit on it through the policy form, sell it with a plan
// that has a monthly limit, and approve a waiting account — then a call through the gateway
// follows what I set." Real Chromium over `turnpike start --demo`, checked through the admin API
// and the gateway.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, provisionApp } from '../support/admin-client.ts';
import { launchChromium } from '../support/browser.ts';
import { type RunningTurnpike, removeDir, startTurnpike, tempDir } from '../support/cli.ts';
import { send, within } from '../support/http.ts';
import { snap } from '../support/screenshots.ts';

describe('the console runs the program', () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let browser: Browser;
  let page: Page;
  const files = tempDir('turnpike-console-');

  beforeAll(async () => {
    tp = await startTurnpike({ args: ['--demo'] });
    admin = new AdminClient(tp.admin, tp.token);
    browser = await launchChromium();
    page = await browser.newPage();
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
    removeDir(files);
  });

  it('adds an upstream, imports an OpenAPI file with its routes, limits it and sells it', async () => {
    await page.getByRole('link', { name: 'Upstreams' }).click();
    await page.getByRole('link', { name: 'Create upstream' }).click();
    await page.getByLabel(/^Name/).fill('pets-echo');
    await page.getByLabel(/^Target 1 URL/).fill(`${tp.status}/echo`);
    await page.getByRole('button', { name: 'Create upstream' }).click();
    await within(
      5000,
      async () => (await admin.call('GET', '/upstreams?name=pets-echo')).body.data.length === 1,
    );

    const spec = join(files, 'pets.yaml');
    writeFileSync(
      spec,
      [
        'openapi: 3.1.0',
        'info: { title: pets, version: "1.0", description: Pets for everyone }',
        'servers: [{ url: "https://api.example.com/pets/v1" }]',
        'paths:',
        '  /pets: { get: { operationId: listPets, summary: List pets, responses: { "200": { description: ok } } } }',
        '  /pets/{petId}: { get: { operationId: getPet, responses: { "200": { description: ok } } } }',
      ].join('\n'),
    );
    await page.getByRole('link', { name: 'APIs' }).first().click();
    await page.getByRole('link', { name: 'Import OpenAPI file' }).click();
    await page.getByLabel('OpenAPI file').setInputFiles(spec);
    await page.getByLabel(/^Upstream/).selectOption({ label: 'pets-echo' });
    await page.getByRole('button', { name: 'Create API and 2 routes' }).click();
    await page.getByRole('tab', { name: 'Routes' }).waitFor();
    const api = (await admin.call('GET', '/apis?name=pets')).body.data[0];
    expect(api).toMatchObject({ basePath: '/pets/v1', version: '1.0', description: 'Pets for everyone' });
    const routes = (await admin.call('GET', `/apis/${api.id}/routes`)).body.data;
    expect(routes.map((r: { name: string; path: string }) => `${r.name} ${r.path}`).sort()).toEqual([
      'getPet /pets/{petId}',
      'listPets /pets',
    ]);

    await page.getByRole('tab', { name: 'Policies' }).click();
    // The section's button; once the list has loaded empty, its empty state offers a second one.
    await page.getByRole('button', { name: 'Add policy' }).first().click();
    await page.getByLabel(/^Policy/).selectOption('rate-limit');
    await page.getByLabel(/^Max of limit 1/).fill('2');
    await page.getByRole('dialog').getByRole('button', { name: 'Add policy' }).click();
    await page.getByRole('button', { name: `Remove policy rate-limit on API pets` }).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await snap(page, 'console-api-policies');

    await page.getByRole('link', { name: 'Products and plans' }).click();
    await page.getByRole('link', { name: 'Create product' }).click();
    await page.getByLabel(/^Name/).fill('pets');
    await page.getByRole('combobox', { name: 'APIs' }).click();
    await page.getByRole('option', { name: 'pets' }).click();
    await page.keyboard.press('Escape'); // close the option list over the button
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByRole('link', { name: 'Add plan to pets' }).click();
    await page.getByLabel(/^Name/).fill('starter');
    await page.getByRole('button', { name: 'Add limit' }).click();
    await page.getByLabel(/^Period of limit 1/).selectOption('month');
    await page.getByLabel(/^Max of limit 1/).fill('100');
    await page.getByRole('button', { name: 'Create plan' }).click();
    await within(5000, async () => (await admin.call('GET', '/plans?name=starter')).body.data.length === 1);
    const plan = (await admin.call('GET', '/plans?name=starter')).body.data[0];
    expect(plan.limits).toEqual([expect.objectContaining({ metric: 'hits', period: 'month', max: 100 })]);

    // What the console set is what the gateway does: two calls a minute from one address.
    const app = await provisionApp(admin, 'pets-client', plan.id);
    const call = () => send(`${tp.gateway}/pets/v1/pets/7`, { headers: { 'x-api-key': app.key } });
    await within(5000, async () => (await call()).status === 200);
    const second = await call();
    expect([second.status, (await call()).status]).toContain(429);
    expect(second.headers['ratelimit-policy']).toBeDefined();
  });

  it('approves a waiting account', async () => {
    const waiting = await admin.create('/accounts', { name: 'waiting-co', state: 'pending' });
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: 'Approve account waiting-co' }).click();
    await within(
      5000,
      async () => (await admin.call('GET', `/accounts/${waiting.id}`)).body.state === 'approved',
    );
  });
});
