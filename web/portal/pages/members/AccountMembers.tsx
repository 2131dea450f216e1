// The account page (/account): which account the session acts for and the developer's role in
// it, its members, and for owners and admins the invitations.
import { Anchor, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { Empty } from '../../../ui/states.tsx';
import { product, useSession } from '../../session.tsx';
import { InviteMember } from './InviteMember.tsx';
import { Members } from './Members.tsx';
import { managesMembers, withArticle } from './members.ts';
import { PendingInvitations } from './PendingInvitations.tsx';

export function AccountMembers() {
  usePageTitle('Account', product);
  const session = useSession().data;
  // Behind RequireSession there is a session; it has no account once the developer left them all.
  if (!session) return null;
  const { account, role } = session;
  if (!account || !role) {
    return (
      <>
        <PageHeader title="Account" />
        <Empty
          title="You belong to no account"
          description="Ask an owner or admin of your organization's account to invite you again, then open the link in their e-mail."
          action={
            <Anchor component={Link} to="/apis">
              Browse the APIs
            </Anchor>
          }
        />
      </>
    );
  }
  const manages = managesMembers(role);
  return (
    <>
      <PageHeader
        title="Account"
        description={
          <Stack gap={4}>
            <Group gap="xs">
              <Text fw={600} c="var(--mantine-color-text)">
                {account.name}
              </Text>
              <StateBadge state={account.state} />
            </Group>
            <Text size="sm">
              You are {withArticle(role)} of this account.{' '}
              {manages
                ? 'Owners and admins invite members, change their roles and remove them; only owners manage owners.'
                : 'Owners and admins invite and remove members.'}
            </Text>
          </Stack>
        }
      />
      <Stack gap="xl">
        <Members session={session} account={account} viewer={role} />
        {manages && <InviteMember viewer={role} />}
        {manages && <PendingInvitations />}
      </Stack>
    </>
  );
}
