// Query-string filters shared by the list operations.
import { z } from 'zod';

export const byName = z.string().max(100).optional().describe('Only the item with this exact name.');
export const byId = (what: string) =>
  z.string().max(100).optional().describe(`Only items of this ${what} (id).`);
