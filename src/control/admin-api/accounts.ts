// /admin/v1/accounts
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { account, accountCreate, accountUpdate } from '../model/account.ts';
import { accountState } from '../model/fields.ts';
import {
  createAccount,
  deleteAccount,
  getAccount,
  listAccounts,
  updateAccount,
} from '../services/accounts.ts';
import type { AdminContext } from './context.ts';
import { byName } from './filters.ts';
import { registerResource } from './resource.ts';

export function accountRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Accounts',
    singular: 'Account',
    plural: 'Accounts',
    path: '/accounts',
    idParam: 'account',
    idDescription: 'Id or name of the account.',
    filter: z.object({ name: byName, state: accountState.optional() }),
    create: accountCreate,
    update: accountUpdate,
    output: account,
    list: async (db, _parent, filter, page) => ok(await listAccounts(db, filter, page)),
    get: (db, _parent, id) => getAccount(db, id),
    insert: (db, _parent, body) => createAccount(db, body),
    change: (db, _parent, id, body) => updateAccount(db, id, body),
    remove: (db, _parent, id) => deleteAccount(db, id),
  });
}
