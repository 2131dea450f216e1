// Invitations not accepted yet (owners and admins): to whom, with which role, until when; a
// withdrawn invitation's link stops working.
import { Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { formatDate, formatDateTime } from '../../../ui/format.ts';
import { Empty, QueryView } from '../../../ui/states.tsx';
import { api, type Invitation, type List, paths } from '../../api.ts';
import { invitationsKey } from './members.ts';

export function PendingInvitations() {
  const client = useQueryClient();
  const invitations = useQuery({
    queryKey: invitationsKey,
    queryFn: () => api.get<List<Invitation>>('/account/invitations'),
  });
  const withdraw = async (invitation: Invitation) => {
    await api.delete(paths.invitation(invitation.id));
    await client.invalidateQueries({ queryKey: invitationsKey });
  };
  return (
    <section aria-labelledby="invitations-title">
      <Title order={2} fz="xl" id="invitations-title" mb="sm">
        Pending invitations
      </Title>
      <QueryView query={invitations} loadingLabel="Loading invitations…">
        {({ data }) =>
          data.length === 0 ? (
            <Empty
              title="No pending invitations"
              description="Invite a member with the form above; the invitation waits here until it is accepted or expires."
            />
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">E-mail</Table.Th>
                    <Table.Th scope="col">Role</Table.Th>
                    <Table.Th scope="col">Sent</Table.Th>
                    <Table.Th scope="col">Expires</Table.Th>
                    <Table.Th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.map((invitation) => (
                    <Table.Tr key={invitation.id}>
                      <Table.Th scope="row" fw={500} style={{ overflowWrap: 'anywhere' }}>
                        {invitation.email}
                      </Table.Th>
                      <Table.Td>
                        <Text size="sm">{invitation.role}</Text>
                      </Table.Td>
                      <Table.Td>{formatDate(invitation.createdAt)}</Table.Td>
                      <Table.Td>{formatDateTime(invitation.expiresAt)}</Table.Td>
                      <Table.Td>
                        <ConfirmButton
                          title={`Withdraw the invitation to ${invitation.email}?`}
                          message="The link in their e-mail stops working. You can invite them again later."
                          confirmLabel="Withdraw the invitation"
                          onConfirm={() => withdraw(invitation)}
                          ariaLabel={`Withdraw invitation ${invitation.email}`}
                        >
                          Withdraw
                        </ConfirmButton>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryView>
    </section>
  );
}
