import { describe, expect, it } from 'vitest';
import { anchorOf, type OperationView, referenceOf, statusWords } from './reference.ts';

const weather = {
  openapi: '3.0.3',
  info: { title: 'Weather', version: '1' },
  tags: [
    { name: 'stations', description: 'Where the weather is measured.' },
    { name: 'forecasts', description: 'The weather to come.' },
  ],
  security: [{ key: [] }],
  paths: {
    '/forecast/{city}': {
      parameters: [
        { name: 'city', in: 'path', schema: { type: 'string' }, description: 'Any city.' },
        { $ref: '#/components/parameters/Units' },
      ],
      get: {
        operationId: 'getForecast',
        tags: ['forecasts'],
        summary: 'Get the forecast',
        description: 'Up to **14** days.',
        parameters: [
          { name: 'days', in: 'query', required: true, schema: { type: 'integer', default: 3 }, example: 7 },
          { name: 'units', in: 'query', schema: { type: 'string', enum: ['metric'] } },
        ],
        responses: {
          '200': {
            description: 'The forecast.',
            headers: { 'X-Rate-Remaining': { schema: { type: 'integer' }, description: 'Calls left.' } },
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Forecast' },
                examples: {
                  oslo: { $ref: '#/components/examples/Oslo' },
                  bergen: { value: { city: 'Bergen' } },
                },
              },
            },
          },
          '404': { $ref: '#/components/responses/NotFound' },
          default: { description: 'Something else.' },
        },
      },
    },
    '/stations': {
      post: {
        tags: ['stations', 'forecasts'],
        summary: 'Add a station',
        deprecated: true,
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/Station' },
              example: { name: 'Blindern' },
            },
            'text/csv': { schema: { type: 'string' } },
          },
        },
        responses: { '201': { description: 'Added.' } },
      },
      get: { summary: 'List stations', responses: { '200': { description: 'The stations.' } } },
    },
    '/health': { get: { responses: { '2XX': { description: 'Up.' } } } },
  },
  components: {
    securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
    parameters: {
      Units: { name: 'units', in: 'query', description: 'From the path item.', schema: { type: 'string' } },
    },
    responses: {
      NotFound: {
        description: 'No such city.',
        content: { 'application/problem+json': { schema: { type: 'object' } } },
      },
    },
    examples: { Oslo: { summary: 'Oslo in May', value: { city: 'Oslo' } } },
    schemas: {
      Forecast: { type: 'object', properties: { city: { type: 'string' } } },
      Station: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    },
  },
};

function operation(id: string): OperationView {
  const found = referenceOf(weather)
    .flatMap((g) => g.operations)
    .find((o) => o.id === id);
  if (!found) throw new Error(`no operation ${id}`);
  return found;
}

describe('the API reference from an OpenAPI document', () => {
  it('groups operations by their first tag, in the order of the document’s tags, the untagged last', () => {
    const groups = referenceOf(weather);
    expect(
      groups.map((g) => [g.tag, g.description, g.operations.map((o) => `${o.method} ${o.path}`)]),
    ).toEqual([
      ['stations', 'Where the weather is measured.', ['POST /stations']],
      ['forecasts', 'The weather to come.', ['GET /forecast/{city}']],
      [undefined, undefined, ['GET /stations', 'GET /health']],
    ]);
  });

  it('keeps the document’s order in one group when no operation has a tag', () => {
    const document = {
      paths: { '/b': { get: {}, post: {} }, '/a': { get: { tags: [] } } },
    };
    expect(referenceOf(document).map((g) => [g.tag, g.operations.map((o) => o.id)])).toEqual([
      [undefined, ['op-get-b', 'op-post-b', 'op-get-a']],
    ]);
    expect(referenceOf(null)).toEqual([]);
    expect(referenceOf({ paths: {} })).toEqual([]);
  });

  it('gives every operation an anchor: its operationId, or its method and path, made unique', () => {
    expect(anchorOf('GET', '/forecast/{city}', 'getForecast')).toBe('op-getForecast');
    expect(anchorOf('GET', '/forecast/{city}/days')).toBe('op-get-forecast-city-days');
    expect(anchorOf('DELETE', '/', 'remove item!')).toBe('op-remove-item');
    expect(anchorOf('GET', '/')).toBe('op-get');
    const twice = {
      paths: { '/a': { get: { operationId: 'same' } }, '/b': { get: { operationId: 'same' } } },
    };
    expect(referenceOf(twice)[0]?.operations.map((o) => o.id)).toEqual(['op-same', 'op-same-2']);
  });

  it('reads summary, Markdown description, security and the path item’s parameters under the operation’s', () => {
    const get = operation('op-getForecast');
    expect(get).toMatchObject({
      method: 'GET',
      path: '/forecast/{city}',
      summary: 'Get the forecast',
      description: 'Up to **14** days.',
      deprecated: false,
      security: ['API key in the X-API-Key header'],
    });
    expect(get.parameters.map((p) => [p.name, p.in, p.required, p.schema?.type, p.description])).toEqual([
      ['city', 'path', true, 'string', 'Any city.'],
      ['units', 'query', false, 'string', undefined],
      ['days', 'query', true, 'integer', undefined],
    ]);
    const days = get.parameters.find((p) => p.name === 'days');
    expect(days?.examples).toEqual([{ value: '7' }]);
    expect(days?.schema?.default).toBe('3');
    expect(get.parameters.find((p) => p.name === 'units')?.schema?.enum).toEqual(['"metric"']);
  });

  it('reads responses per status with their headers, media types, schemas and named examples', () => {
    const [ok, missing, other] = operation('op-getForecast').responses;
    expect(ok).toMatchObject({ status: '200', label: 'OK', description: 'The forecast.' });
    expect(ok?.headers).toEqual([
      {
        name: 'X-Rate-Remaining',
        required: false,
        description: 'Calls left.',
        schema: expect.objectContaining({ type: 'integer' }),
      },
    ]);
    expect(ok?.content[0]?.type).toBe('application/json');
    expect(ok?.content[0]?.schema).toMatchObject({ name: 'Forecast', type: 'object' });
    expect(ok?.content[0]?.examples).toEqual([
      { label: 'Oslo in May', value: JSON.stringify({ city: 'Oslo' }, null, 2) },
      { label: 'bergen', value: JSON.stringify({ city: 'Bergen' }, null, 2) },
    ]);
    expect(missing).toMatchObject({ status: '404', label: 'Not Found', description: 'No such city.' });
    expect(missing?.content.map((c) => c.type)).toEqual(['application/problem+json']);
    expect(other).toMatchObject({ status: 'default', label: 'Any other status' });
  });

  it('reads the request body per media type, deprecation and an operation that needs no authentication', () => {
    const post = operation('op-post-stations');
    expect(post).toMatchObject({ deprecated: true, security: [] });
    expect(post.requestBody?.required).toBe(true);
    expect(post.requestBody?.content.map((c) => [c.type, c.schema?.name ?? c.schema?.type])).toEqual([
      ['application/json', 'Station'],
      ['text/csv', 'string'],
    ]);
    expect(post.requestBody?.content[0]?.examples).toEqual([
      { value: JSON.stringify({ name: 'Blindern' }, null, 2) },
    ]);
    // The try-it form starts from the same example.
    expect(post.example).toBe(JSON.stringify({ name: 'Blindern' }, null, 2));
  });

  it('says statuses in words', () => {
    expect(statusWords('201')).toBe('Created');
    expect(statusWords('4XX')).toBe('Any 4xx status');
    expect(statusWords('599')).toBe('');
    expect(operation('op-get-health').responses[0]?.label).toBe('Any 2xx status');
  });
});
