// The account's members and invitations as the pages read them, and who may do what with them
// (docs/portal-api.md, "Members and invitations"): owners and admins manage members, and only
// owners manage owners.
import type { Role } from '../../api.ts';

export const membersKey = ['account', 'members'] as const;
export const invitationsKey = ['account', 'invitations'] as const;

export const managesMembers = (viewer: Role) => viewer === 'owner' || viewer === 'admin';

/** The roles the viewer may give, in an invitation or a change. */
export const assignableRoles = (viewer: Role): Role[] =>
  viewer === 'owner' ? ['member', 'admin', 'owner'] : ['member', 'admin'];

/** Whether the viewer may change the role of, or remove, a member who has `role`. */
export const mayManage = (viewer: Role, role: Role) =>
  managesMembers(viewer) && (viewer === 'owner' || role !== 'owner');

/** `an owner`, `a member`. */
export const withArticle = (role: Role) => `${/^[aeiou]/i.test(role) ? 'an' : 'a'} ${role}`;
