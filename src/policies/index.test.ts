import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { phases } from './context.ts';
import { policies, policyNamed } from './index.ts';

describe('policy registry', () => {
  it('gives every policy a unique priority', () => {
    const priorities = policies.map((p) => p.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
  });

  it('registers every policy folder under its folder name', () => {
    const dir = import.meta.dirname;
    const folders = readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory());
    expect(folders.sort()).toEqual(policies.map((p) => p.name).sort());
    for (const folder of folders) {
      for (const file of ['schema.ts', 'policy.ts', 'policy.test.ts', 'README.md']) {
        expect(statSync(join(dir, folder, file)).isFile(), `${folder}/${file}`).toBe(true);
      }
      expect(policyNamed(folder)?.name).toBe(folder);
    }
  });

  it('declares a known phase and a config schema whose defaults parse from {}', () => {
    for (const policy of policies) {
      expect(phases).toContain(policy.phase);
      expect(policy.schema.safeParse({}).success, policy.name).toBe(true);
    }
  });

  it('describes every config field', () => {
    for (const policy of policies) {
      const schema = z.toJSONSchema(policy.schema, { io: 'input' }) as {
        properties?: Record<string, { description?: string }>;
      };
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        expect(property.description, `${policy.name}.${field}`).toMatch(/Default/);
      }
    }
  });
});
