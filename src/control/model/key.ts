// API key: a credential of an application. Only its hash is stored; the plaintext is shown once.
import { z } from 'zod';
import { id, keyHash, keyLabel, keyPrefixField, plaintextKey, timestamp } from './fields.ts';

export const keyCreate = z
  .strictObject({
    label: keyLabel.optional().meta({ default: '' }),
    expiresAt: timestamp.optional().describe('When the key stops working; never when absent.'),
    key: plaintextKey
      .optional()
      .describe('Register this existing key instead of generating one (tp_live_… or tp_test_…).'),
    hash: keyHash.optional().describe('Register a key by its SHA-256 hash, as exported.'),
  })
  .refine((k) => !(k.key && k.hash), { message: 'give either key or hash, not both', path: ['hash'] })
  .meta({ id: 'KeyCreate', description: 'A new key: generated unless `key` or `hash` is given.' });

export const keyUpdate = z
  .strictObject({ label: keyLabel, expiresAt: timestamp.nullable().describe('New expiry; null for none.') })
  .partial()
  .meta({ id: 'KeyUpdate', description: 'Fields to change.' });

export const keyRotate = z
  .strictObject({
    gracePeriodSeconds: z
      .int()
      .min(0)
      .max(90 * 24 * 3600)
      .optional()
      .meta({ default: 86_400 })
      .describe('How long the old key keeps working (0: it stops at once). Never past its own expiry.'),
    label: keyLabel.optional().describe('Label of the new key; the old key’s label when absent.'),
    expiresAt: timestamp.optional().describe('When the new key stops working; never when absent.'),
  })
  .meta({ id: 'KeyRotate', description: 'Issue a new key and retire this one after a grace period.' });

export const key = z
  .strictObject({
    id: id('key'),
    applicationId: id('app'),
    prefix: keyPrefixField.nullable(),
    label: z.string(),
    status: z.enum(['active', 'expired', 'revoked']).describe('Whether the gateway accepts the key now.'),
    expiresAt: timestamp.nullable(),
    revokedAt: timestamp.nullable().describe('When it was revoked; revocation is final.'),
    lastUsedAt: timestamp.nullable().describe('Last call the gateways accepted with it, to the minute.'),
    rotatedFrom: id('key').nullable().describe('The key this one replaced, when a rotation issued it.'),
    createdAt: timestamp,
  })
  .meta({ id: 'Key', description: 'An API key, without its secret.' });

export const createdKey = key
  .extend({ key: z.string().describe('The key. Shown only in this response; store it now.').optional() })
  .meta({
    id: 'CreatedKey',
    description: 'A new key; `key` holds the plaintext when it was generated or given.',
  });

export type KeyCreate = z.infer<typeof keyCreate>;
export type KeyUpdate = z.infer<typeof keyUpdate>;
export type KeyRotate = z.infer<typeof keyRotate>;
export type Key = z.infer<typeof key>;
export type CreatedKey = z.infer<typeof createdKey>;
