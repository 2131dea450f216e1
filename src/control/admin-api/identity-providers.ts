// /admin/v1/identity-providers — API providers' own sign-in pages, used instead of Turnpike's
// end-user directory for the APIs that name them. A provider decides who counts as an end user,
// so writes need the admin role (as signing-key rotation does). The gateway never sees them:
// writes make no new revision.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import {
  identityProvider,
  identityProviderCreate,
  identityProviderUpdate,
} from '../model/identity-provider.ts';
import {
  createIdentityProvider,
  deleteIdentityProvider,
  getIdentityProvider,
  listIdentityProviders,
  updateIdentityProvider,
} from '../services/identity-providers.ts';
import type { AdminContext } from './context.ts';
import { byName } from './filters.ts';
import { registerResource } from './resource.ts';

export function identityProviderRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Identity providers',
    singular: 'IdentityProvider',
    plural: 'IdentityProviders',
    noun: 'identity provider',
    nouns: 'identity providers',
    path: '/identity-providers',
    idParam: 'identityProvider',
    idDescription: 'Id (`idp_…`) or name of the identity provider.',
    filter: z.object({ name: byName }),
    create: identityProviderCreate,
    update: identityProviderUpdate,
    output: identityProvider,
    writeRole: 'admin',
    configuration: false,
    list: async (db, _parent, filter, page) => ok(await listIdentityProviders(db, filter, page)),
    get: (db, _parent, id) => getIdentityProvider(db, id),
    insert: (db, _parent, body) => createIdentityProvider(db, body),
    change: (db, _parent, id, body) => updateIdentityProvider(db, id, body),
    remove: (db, _parent, id) => deleteIdentityProvider(db, id),
  });
}
