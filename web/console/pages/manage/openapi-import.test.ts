import { describe, expect, it } from 'vitest';
import {
  basePathOf,
  parseOpenApi,
  suggestApi,
  suggestRoutes,
  toName,
  toRoutePath,
} from './openapi-import.ts';

const petstore = {
  openapi: '3.0.3',
  info: { title: 'Swagger Petstore', version: '1.0.0', description: 'Pets to buy.' },
  servers: [{ url: 'https://petstore.example.com/api/v3/' }],
  paths: {
    '/pet': { post: { operationId: 'addPet' }, put: { operationId: 'updatePet' } },
    '/pet/{petId}': { get: { operationId: 'getPetById', summary: 'Find a pet' }, delete: {} },
    '/store/order/{order-id}': { get: { operationId: 'getOrderById' } },
    '/report-{year}.csv': { get: {} },
    '/pet/{id}': { get: { operationId: 'samePathOtherName' } },
    '/': { get: {} },
  },
};

describe('parseOpenApi', () => {
  it('reads JSON and YAML', async () => {
    expect(await parseOpenApi(JSON.stringify(petstore))).toEqual({ ok: true, document: petstore });
    const yaml =
      'openapi: 3.1.0\ninfo:\n  title: Weather\n  version: v2\npaths:\n  /forecast/{city}:\n    get: {}\n';
    const parsed = await parseOpenApi(yaml);
    expect(parsed.ok && parsed.document.info).toEqual({ title: 'Weather', version: 'v2' });
  });

  it('says what is wrong with a file that is no OpenAPI 3 document', async () => {
    expect(await parseOpenApi('{"swagger": "2.0", "info": {}}')).toMatchObject({
      ok: false,
      message: expect.stringContaining('Swagger 2.0'),
    });
    expect(await parseOpenApi('{"openapi": "3.1.0"}')).toMatchObject({
      ok: false,
      message: expect.stringContaining('info'),
    });
    expect(await parseOpenApi('{ nope')).toMatchObject({
      ok: false,
      message: expect.stringContaining('neither JSON'),
    });
    expect(await parseOpenApi('- a list')).toMatchObject({ ok: false });
  });
});

describe('suggestApi', () => {
  it('fills the name, version, description and base path', () => {
    expect(suggestApi(petstore)).toEqual({
      name: 'Swagger-Petstore',
      version: '1.0.0',
      description: 'Pets to buy.',
      basePath: '/api/v3',
    });
  });

  it('takes the base path from the first server, with its variables’ defaults', () => {
    const servers = (url: string, variables?: unknown) => ({ servers: [{ url, variables }] });
    expect(basePathOf(servers('/v1'))).toBe('/v1');
    expect(basePathOf(servers('https://api.example.com'))).toBeNull();
    expect(basePathOf(servers('https://{host}/{version}', { version: { default: 'v2' } }))).toBe('/v2');
    expect(basePathOf({})).toBeNull();
  });

  it('makes names Turnpike accepts', () => {
    expect(toName('  My API (beta) ', 'x')).toBe('My-API-beta');
    expect(toName('!!!', 'fallback')).toBe('fallback');
    expect(toName('api_01m7z600wbq0q8wkr2b5f4h1c9', 'x')).toBe('api_01m7z600wbq0q8wkr2b5f4h1c9-api');
  });
});

describe('suggestRoutes', () => {
  it('makes one route per path and method, named by operationId or method and path', () => {
    expect(suggestRoutes(petstore).map((r) => [r.name, r.method, r.path])).toEqual([
      ['addPet', 'POST', '/pet'],
      ['updatePet', 'PUT', '/pet'],
      ['getPetById', 'GET', '/pet/{petId}'],
      ['delete-pet-petId', 'DELETE', '/pet/{petId}'],
      ['getOrderById', 'GET', '/store/order/{order_id}'],
      ['get-report-year.csv', 'GET', '/{year}'],
      ['get-root', 'GET', '/'],
    ]);
  });

  it('converts parameters to the router’s syntax', () => {
    expect(toRoutePath('/a/{b}/c/{d-e}')).toEqual({ path: '/a/{b}/c/{d_e}', widened: false });
    expect(toRoutePath('/files/{name}.{ext}')).toEqual({ path: '/files/{name}', widened: true });
    expect(toRoutePath('/x/{1st}/{id}/{id}').path).toBe('/x/{p_1st}/{id}/{id_2}');
  });

  it('keeps route names unique', () => {
    const document = {
      paths: { '/a': { get: { operationId: 'list' } }, '/b': { get: { operationId: 'list' } } },
    };
    expect(suggestRoutes(document).map((r) => r.name)).toEqual(['list', 'list-2']);
  });
});
