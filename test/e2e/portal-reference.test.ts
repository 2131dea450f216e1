// User story: "I read how to call an operation — its parameters, the body it takes, what it
// answers and in which shapes — on the API's page, link a colleague straight to it, and try it from
// there." Real Chromium over `turnpike start`: the provider uploads an OpenAPI document through the
// admin API, a developer who signed up through the portal API reads its reference; axe-core on it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../support/admin-client.ts';
import { axeViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';
import { snap } from '../support/screenshots.ts';

const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const weatherDocument = {
  openapi: '3.1.0',
  info: { title: 'Weather', version: '1.0' },
  tags: [{ name: 'forecasts', description: 'The weather to come.' }],
  security: [{ key: [] }],
  paths: {
    '/forecast': {
      get: {
        operationId: 'getForecast',
        tags: ['forecasts'],
        summary: 'Get the forecast',
        description: 'Up to **14 days** ahead.',
        parameters: [
          {
            name: 'city',
            in: 'query',
            required: true,
            description: 'The city, in English.',
            schema: { type: 'string' },
            example: 'Oslo',
          },
          {
            name: 'units',
            in: 'query',
            schema: { type: 'string', enum: ['metric', 'imperial'], default: 'metric' },
          },
        ],
        responses: {
          '200': {
            description: 'The forecast.',
            content: { 'application/json': { schema: schema('Forecast') } },
          },
          '404': {
            description: 'No such city.',
            content: { 'application/problem+json': { schema: schema('Problem') } },
          },
        },
      },
      post: {
        operationId: 'orderForecast',
        tags: ['forecasts'],
        summary: 'Order a detailed forecast',
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: schema('ForecastOrder'), example: { city: 'Bergen', days: 5 } },
          },
        },
        responses: {
          '202': { description: 'Ordered.', content: { 'application/json': { schema: schema('Forecast') } } },
          '400': { description: 'The order is not valid.' },
        },
      },
    },
  },
  components: {
    securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
    schemas: {
      Forecast: {
        type: 'object',
        required: ['city', 'days'],
        properties: {
          city: { type: 'string' },
          days: { type: 'array', items: schema('Day') },
        },
      },
      Day: {
        type: 'object',
        properties: {
          date: { type: 'string', format: 'date' },
          high: { type: ['number', 'null'], description: 'Highest temperature in °C.' },
        },
      },
      ForecastOrder: {
        type: 'object',
        required: ['city'],
        properties: {
          city: { type: 'string' },
          days: { type: 'integer', minimum: 1, maximum: 14, default: 3 },
        },
      },
      Problem: { type: 'object', properties: { title: { type: 'string' }, status: { type: 'integer' } } },
    },
  },
};

interface BrowserWindow {
  innerHeight: number;
  document: { getElementById(id: string): { getBoundingClientRect(): { top: number } } | null };
}

/** In the page: whether the element's top is in the upper half of the window, where a link puts it. */
function nearTop(id: string): boolean {
  const window = globalThis as unknown as BrowserWindow;
  const top = window.document.getElementById(id)?.getBoundingClientRect().top;
  return top !== undefined && top >= -1 && top < window.innerHeight / 2;
}

describe("an API's reference on the portal, from its OpenAPI document", () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let browser: Browser;
  const developer = { email: 'rae@example.com', password: 'rae password 1234' };

  /** POST to the portal API as a browser would, without a session (sign-up, e-mail links). */
  const portalPost = (path: string, body: unknown) =>
    fetch(`${tp.portal}/portal/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: tp.portal },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    tp = await startTurnpike();
    admin = new AdminClient(tp.admin, tp.token);
    const upstream = await admin.create('/upstreams', {
      name: 'weather-upstream',
      targets: [{ url: 'http://127.0.0.1:9' }],
    });
    await admin.create('/apis', {
      name: 'weather',
      basePath: '/weather/v1',
      upstreamId: upstream.id,
      openapi: weatherDocument,
    });

    const signUp = await portalPost('/signup', {
      name: 'Rae',
      organization: 'Rae Apps',
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
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
  });

  async function signedIn(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${tp.portal}/signin`);
    await page.getByLabel('E-mail').fill(developer.email);
    await page.getByLabel('Password').fill(developer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Applications' }).waitFor();
    return page;
  }

  it('shows parameters, nested schemas, responses and security per operation, accessibly', async () => {
    const page = await signedIn();
    await page.goto(`${tp.portal}/apis/weather`);
    const get = page.getByRole('article', { name: 'Get the forecast' });
    await get.waitFor();

    // The tag heads its operations; the operation says how to authenticate.
    await page.getByRole('heading', { name: 'forecasts', level: 3 }).waitFor();
    expect(await get.getByRole('heading', { level: 4 }).innerText()).toBe('Get the forecast');
    expect(await get.innerText()).toContain('Authentication: API key in the X-API-Key header');

    // The required query parameter, and an optional one with its values and default.
    const city = get.getByRole('row', { name: /^city query string required/ });
    expect(await city.innerText()).toContain('The city, in English.');
    expect(await city.innerText()).toContain('Oslo');
    const units = get.getByRole('row', { name: /^units query string optional/ });
    expect(await units.innerText()).toMatch(/One of: "metric", "imperial"/);
    expect(await units.innerText()).toContain('Default: "metric"');

    // Responses per status, with the $ref'd schema's properties and a nested level to open.
    const responses = await get.locator('.tp-response').allInnerTexts();
    expect(responses).toHaveLength(2);
    expect(responses[0]).toMatch(/^200\s+OK\s+The forecast\./);
    expect(responses[1]).toMatch(/^404\s+Not Found\s+No such city\./);
    expect(responses[0]).toContain('object (Forecast)');
    expect(responses[0]).toMatch(/days\s+array of Day\s+required/);
    expect(responses[1]).toContain('application/problem+json');
    const dayProperties = get.getByText('Properties of each item of days');
    expect(await get.getByText('Highest temperature in °C.').count()).toBe(0);
    await dayProperties.click();
    await get.getByText('Highest temperature in °C.').waitFor();
    expect(await get.locator('li', { hasText: /^high/ }).first().innerText()).toMatch(
      /high\s+number\s+nullable/,
    );

    // The request body, per media type, with its example.
    const post = page.getByRole('article', { name: 'Order a detailed forecast' });
    const body = await post.innerText();
    expect(body).toMatch(/Request body\s+Required\./);
    expect(body).toContain('object (ForecastOrder)');
    expect(body).toContain('Limits: minimum 1, maximum 14');
    expect(body).toContain('"city": "Bergen"');
    expect(await post.locator('.tp-response').allInnerTexts()).toHaveLength(2);

    // Headings in order, no level skipped.
    const levels = await page.$$eval('h1, h2, h3, h4, h5, h6', (all) => all.map((h) => Number(h.tagName[1])));
    for (let i = 1; i < levels.length; i++)
      expect(levels[i] ?? 0).toBeLessThanOrEqual((levels[i - 1] ?? 0) + 1);
    expect(await axeViolations(page)).toEqual([]);
    await get.getByRole('heading', { level: 4 }).evaluate((heading) => heading.scrollIntoView());
    await snap(page, 'portal-api-reference');
    await page.close();
  });

  it('links to each operation from the index and from outside, and tries it from its reference', async () => {
    const page = await signedIn();
    await page.goto(`${tp.portal}/apis/weather`);
    await page.getByRole('link', { name: 'GET /forecast' }).click();
    await page.waitForURL(/#op-getForecast$/);
    expect(await page.evaluate(nearTop, 'op-getForecast')).toBe(true);

    // A link opened anew lands on its operation once the page has drawn.
    const other = await browser.newPage();
    await other.context().addCookies(await page.context().cookies());
    await other.goto(`${tp.portal}/apis/weather#op-orderForecast`);
    await other.getByRole('heading', { name: 'Order a detailed forecast' }).waitFor();
    await other.waitForFunction(nearTop, 'op-orderForecast');
    await other.close();

    // Try it fills the form with the operation and its example body.
    await page.getByRole('button', { name: 'Try it: POST /forecast' }).click();
    expect(await page.getByLabel('Method').inputValue()).toBe('POST');
    expect(await page.getByLabel('Path').inputValue()).toBe('/forecast');
    expect(JSON.parse(await page.getByLabel('Body').inputValue())).toEqual({ city: 'Bergen', days: 5 });
    await page.close();
  });
});
