import { describe, expect, it } from 'vitest';
import { pointer, refName, resolveRef } from './openapi-refs.ts';

const document = {
  components: {
    schemas: {
      Pet: { type: 'object' },
      Alias: { $ref: '#/components/schemas/Pet' },
      Loop: { $ref: '#/components/schemas/Loop2' },
      Loop2: { $ref: '#/components/schemas/Loop' },
      'a/b~c': { type: 'string' },
    },
    parameters: { Limit: { name: 'limit', in: 'query' } },
  },
  tags: [{ name: 'first' }],
};

describe('local references', () => {
  it('follows a reference, and a chain of them, to the node', () => {
    expect(resolveRef(document, { $ref: '#/components/schemas/Pet' })).toEqual({
      node: { type: 'object' },
      ref: '#/components/schemas/Pet',
    });
    expect(resolveRef(document, { $ref: '#/components/schemas/Alias' })).toEqual({
      node: { type: 'object' },
      ref: '#/components/schemas/Pet',
    });
    expect(resolveRef(document, { $ref: '#/components/parameters/Limit' }).node).toEqual({
      name: 'limit',
      in: 'query',
    });
  });

  it('returns a node that is no reference as it is', () => {
    expect(resolveRef(document, { type: 'string' })).toEqual({ node: { type: 'string' } });
    expect(resolveRef(document, undefined)).toEqual({ node: undefined });
  });

  it('reports a loop of references instead of following it for ever', () => {
    const answer = resolveRef(document, { $ref: '#/components/schemas/Loop' });
    expect(answer.node).toBeUndefined();
    expect(answer.problem).toMatch(/refers to itself/);
  });

  it('reports references to other documents and to nothing', () => {
    expect(resolveRef(document, { $ref: 'other.yaml#/Pet' }).problem).toMatch(/another document/);
    expect(resolveRef(document, { $ref: '#/components/schemas/Gone' }).problem).toMatch(
      /not in the document/,
    );
  });

  it('unescapes JSON pointer segments and reads array indexes', () => {
    expect(pointer(document, '#/components/schemas/a~1b~0c')).toEqual({ type: 'string' });
    expect(pointer(document, '#/tags/0/name')).toBe('first');
    expect(refName('#/components/schemas/a~1b~0c')).toBe('a/b~c');
    expect(refName('#/components/schemas/Caf%C3%A9')).toBe('Café');
  });
});
