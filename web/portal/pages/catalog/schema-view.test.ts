import { describe, expect, it } from 'vitest';
import { inside, type SchemaView, schemaView } from './schema-view.ts';

const document = {
  components: {
    schemas: {
      Forecast: {
        type: 'object',
        description: 'The weather to come.',
        required: ['city', 'days'],
        properties: {
          city: { type: 'string', example: 'Oslo' },
          units: { type: 'string', enum: ['metric', 'imperial'], default: 'metric' },
          days: { type: 'array', items: { $ref: '#/components/schemas/Day' }, minItems: 1, maxItems: 14 },
          updatedAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      Day: {
        type: 'object',
        properties: {
          date: { type: 'string', format: 'date' },
          high: { type: ['number', 'null'], minimum: -90, exclusiveMaximum: 60 },
          low: { type: 'number', nullable: true },
        },
      },
      Category: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          children: { type: 'array', items: { $ref: '#/components/schemas/Category' } },
          parent: { $ref: '#/components/schemas/Category' },
        },
      },
      Named: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
      Dog: {
        allOf: [
          { $ref: '#/components/schemas/Named' },
          { type: 'object', required: ['barks'], properties: { barks: { type: 'boolean' } } },
        ],
      },
      Cat: {
        allOf: [
          { $ref: '#/components/schemas/Named' },
          { properties: { lives: { type: 'integer', format: 'int32' } } },
        ],
      },
      Pet: {
        oneOf: [{ $ref: '#/components/schemas/Dog' }, { $ref: '#/components/schemas/Cat' }],
        discriminator: { propertyName: 'kind' },
      },
    },
  },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const field = (view: SchemaView | undefined, name: string) => {
  const found = view?.properties.find((p) => p.name === name);
  if (!found) throw new Error(`no property ${name}`);
  return found;
};

describe('schemas as the reference shows them', () => {
  it('names a referenced object and lists its properties with required, type, enum, default and example', () => {
    const view = schemaView(document, ref('Forecast'));
    expect(view).toMatchObject({ type: 'object', name: 'Forecast', description: 'The weather to come.' });
    expect(view.properties.map((p) => [p.name, p.required, p.schema.type])).toEqual([
      ['city', true, 'string'],
      ['units', false, 'string'],
      ['days', true, 'array of Day'],
      ['updatedAt', false, 'string (date-time)'],
    ]);
    expect(field(view, 'units').schema).toMatchObject({
      enum: ['"metric"', '"imperial"'],
      default: '"metric"',
    });
    expect(field(view, 'city').schema.examples).toEqual(['"Oslo"']);
    expect(field(view, 'updatedAt').schema.readOnly).toBe(true);
    expect(field(view, 'days').schema.constraints).toEqual(['at least 1 item', 'at most 14 items']);
  });

  it("goes into an array's items, and reads nulls the 3.0 and the 3.1 way", () => {
    const days = field(schemaView(document, ref('Forecast')), 'days').schema;
    const day = inside(days);
    expect(day?.name).toBe('Day');
    expect(field(day, 'date').schema.type).toBe('string (date)');
    expect(field(day, 'high').schema).toMatchObject({
      type: 'number',
      nullable: true,
      constraints: ['minimum -90', 'less than 60'],
    });
    expect(field(day, 'low').schema).toMatchObject({ type: 'number', nullable: true });
  });

  it('names a schema that refers back to itself instead of expanding it again', () => {
    const view = schemaView(document, ref('Category'));
    expect(field(view, 'parent').schema).toMatchObject({ name: 'Category', type: 'object', circular: true });
    const children = field(view, 'children').schema;
    expect(children.type).toBe('array of Category');
    expect(children.items).toMatchObject({ circular: true, properties: [] });
  });

  it('merges allOf into one object, with the required properties of every part', () => {
    const dog = schemaView(document, ref('Dog'));
    expect(dog.type).toBe('object');
    expect(dog.properties.map((p) => [p.name, p.required])).toEqual([
      ['name', true],
      ['barks', true],
    ]);
    expect(field(dog, 'name').schema.constraints).toEqual(['at least 1 character']);
  });

  it('lists oneOf variants with their discriminator', () => {
    const pet = schemaView(document, ref('Pet'));
    expect(pet.type).toBe('Dog or Cat');
    expect(pet.variants?.kind).toBe('one of');
    expect(pet.variants?.discriminator).toBe('kind');
    expect(pet.variants?.options.map((o) => o.name)).toEqual(['Dog', 'Cat']);
    expect(field(pet.variants?.options[1], 'lives').schema.type).toBe('integer (int32)');
    expect(inside(pet)).toBe(pet);
  });

  it('shows `anyOf: [X, null]` as a nullable X, keeping the outer description', () => {
    const view = schemaView(document, { anyOf: [ref('Day'), { type: 'null' }], description: 'Maybe a day.' });
    expect(view).toMatchObject({ name: 'Day', type: 'object', nullable: true, description: 'Maybe a day.' });
    expect(view.variants).toBeUndefined();
    const several = schemaView(document, {
      anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }],
    });
    expect(several).toMatchObject({ type: 'string or integer', nullable: true });
    expect(several.variants?.options).toHaveLength(2);
  });

  it('reads type arrays, consts, enums without a type and additionalProperties', () => {
    expect(schemaView(document, { type: ['string', 'integer'] }).type).toBe('string or integer');
    expect(schemaView(document, { const: 'v1' })).toMatchObject({ type: 'string', enum: ['"v1"'] });
    expect(schemaView(document, { enum: [1, 2, null] })).toMatchObject({
      type: 'number',
      nullable: true,
      enum: ['1', '2'],
    });
    expect(schemaView(document, { type: 'object', additionalProperties: true }).additional).toBe(true);
    const map = schemaView(document, { type: 'object', additionalProperties: ref('Day') });
    expect(map.additional).toMatchObject({ name: 'Day', type: 'object' });
    expect(inside(map)).toBe(map);
    expect(schemaView(document, {}).type).toBe('any');
    expect(schemaView(document, undefined).type).toBe('any');
  });

  it('lets 3.1 siblings of a $ref override what it points to', () => {
    const view = schemaView(document, { $ref: '#/components/schemas/Day', description: 'The first day.' });
    expect(view).toMatchObject({ name: 'Day', description: 'The first day.' });
  });

  it('reports references it cannot follow', () => {
    expect(schemaView(document, ref('Missing'))).toMatchObject({
      type: 'Missing',
      problem: expect.stringMatching(/not in the document/),
    });
    expect(schemaView(document, { $ref: 'common.yaml#/Pet' }).problem).toMatch(/another document/);
  });

  it('stops at the depth limit and at the number of schemas', () => {
    let deep: object = { type: 'string' };
    for (let i = 0; i < 20; i++) deep = { type: 'object', properties: { next: deep } };
    let view: SchemaView | undefined = schemaView(document, deep, { maxDepth: 3 });
    let levels = 0;
    while (view && view.properties.length > 0) {
      view = view.properties[0]?.schema;
      levels++;
    }
    expect(levels).toBe(4);
    expect(view).toMatchObject({ type: 'object', truncated: true });

    const wide = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, { type: 'string' }])),
    };
    const cut = schemaView(document, wide, { maxSchemas: 10 });
    expect(cut.properties.filter((p) => p.schema.truncated)).toHaveLength(41);
  });

  it('describes properties only when they are read, so that closed levels cost nothing', () => {
    const pair = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } };
    const view = schemaView(
      document,
      { type: 'object', properties: { left: pair, right: pair } },
      { maxSchemas: 3 },
    );
    expect(view.properties.map((p) => p.schema.truncated ?? false)).toEqual([false, false]);
    expect(field(view, 'left').schema.properties.map((p) => p.schema.truncated)).toEqual([true, true]);
  });
});
