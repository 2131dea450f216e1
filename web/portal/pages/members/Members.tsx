// The account's members: name, e-mail, role and when they joined. Owners and admins change
// roles and remove members; everyone may leave.
import { Badge, Button, Group, NativeSelect, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { formatDate } from '../../../ui/format.ts';
import { Empty, ErrorAlert, QueryView } from '../../../ui/states.tsx';
import { type Account, api, type List, type Member, paths, type Role, type Session } from '../../api.ts';
import { sessionKey } from '../../session.tsx';
import { assignableRoles, mayManage, membersKey } from './members.ts';

export function Members({ session, account, viewer }: { session: Session; account: Account; viewer: Role }) {
  const members = useQuery({
    queryKey: membersKey,
    queryFn: () => api.get<List<Member>>('/account/members'),
  });
  return (
    <section aria-labelledby="members-title">
      <Title order={2} fz="xl" id="members-title" mb="sm">
        Members
      </Title>
      <QueryView query={members} loadingLabel="Loading members…">
        {({ data }) =>
          data.length === 0 ? (
            <Empty title="No members" description="Reload the page; you at least belong to this account." />
          ) : (
            <MemberTable members={data} self={session.developer.id} account={account} viewer={viewer} />
          )
        }
      </QueryView>
    </section>
  );
}

function MemberTable({
  members,
  self,
  account,
  viewer,
}: {
  members: Member[];
  self: string;
  account: Account;
  viewer: Role;
}) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [failed, setFailed] = useState<{ email: string; error: unknown } | null>(null);

  const remove = async (member: Member) => {
    await api.delete(paths.member(member.developerId));
    await client.invalidateQueries({ queryKey: membersKey });
  };
  // Leaving changes the session: it acts for another of the developer's accounts, or for none.
  const leave = async () => {
    await api.delete(paths.member(self));
    await client.invalidateQueries({ queryKey: sessionKey });
    await client.resetQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
    const after = client.getQueryData<Session | null>(sessionKey);
    if (after?.account) navigate('/applications');
  };

  return (
    <>
      {failed && <ErrorAlert error={failed.error} title={`The role of ${failed.email} did not change`} />}
      <Table.ScrollContainer minWidth={720}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">E-mail</Table.Th>
              <Table.Th scope="col">Role</Table.Th>
              <Table.Th scope="col">Joined</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.map((member) => {
              const isSelf = member.developerId === self;
              const manageable = mayManage(viewer, member.role);
              return (
                <Table.Tr key={member.developerId}>
                  <Table.Th scope="row" fw={500}>
                    <Group gap="xs" wrap="nowrap">
                      {member.name}
                      {isSelf && (
                        <Badge variant="light" color="gray" radius="sm" tt="none">
                          you
                        </Badge>
                      )}
                    </Group>
                  </Table.Th>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{member.email}</Table.Td>
                  <Table.Td>
                    {manageable ? (
                      <RoleChange
                        member={member}
                        viewer={viewer}
                        onFailed={(error) => setFailed(error ? { email: member.email, error } : null)}
                      />
                    ) : (
                      <Text size="sm">{member.role}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDate(member.joinedAt)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap" justify="flex-end">
                      {isSelf ? (
                        <ConfirmButton
                          title={`Leave ${account.name}?`}
                          message="You lose access to its applications, keys and usage at once. To come back, an owner or admin has to invite you again."
                          confirmLabel="Leave the account"
                          onConfirm={leave}
                        >
                          Leave account
                        </ConfirmButton>
                      ) : (
                        manageable && (
                          <ConfirmButton
                            title={`Remove ${member.name} from ${account.name}?`}
                            message={`${member.email} loses access to the account's applications, keys and usage at once. Their developer login stays; an owner or admin can invite them again.`}
                            confirmLabel="Remove from the account"
                            onConfirm={() => remove(member)}
                            ariaLabel={`Remove member ${member.email}`}
                          >
                            Remove
                          </ConfirmButton>
                        )
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}

/**
 * A member's role: chosen in a select, applied with Save. Applying on change alone would send a
 * change for every arrow key press in browsers that change a closed select that way.
 */
function RoleChange({
  member,
  viewer,
  onFailed,
}: {
  member: Member;
  viewer: Role;
  onFailed: (error: unknown) => void;
}) {
  const client = useQueryClient();
  const [role, setRole] = useState<Role>(member.role);
  const change = useMutation({
    mutationFn: () => api.patch(paths.member(member.developerId), { role }),
    onMutate: () => onFailed(null),
    onSuccess: async () => {
      // The viewer's own role is in the session answer.
      await Promise.all([
        client.invalidateQueries({ queryKey: membersKey }),
        client.invalidateQueries({ queryKey: sessionKey }),
      ]);
    },
    onError: (error) => {
      setRole(member.role);
      onFailed(error);
    },
  });
  const roles = assignableRoles(viewer);
  const choices = roles.includes(member.role) ? roles : [member.role, ...roles];
  // Words other than "role" name the select, so that the invitation form's "Role" stays the
  // only field of that name on the page.
  return (
    <Group gap="xs" wrap="nowrap">
      <NativeSelect
        aria-label={`Access of ${member.email}`}
        size="xs"
        data={choices}
        value={role}
        onChange={(event) => setRole(event.currentTarget.value)}
        disabled={change.isPending}
      />
      {role !== member.role && (
        <Button
          size="xs"
          onClick={() => change.mutate()}
          loading={change.isPending}
          aria-label={`Save access of ${member.email}`}
        >
          Save
        </Button>
      )}
    </Group>
  );
}
