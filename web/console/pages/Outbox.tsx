// The outbox: mail Turnpike would have sent (sign-up verification, password resets) when no
// SMTP server is configured, so that an operator can follow the links in development.
import { Alert, Anchor, Button, Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { segment } from '../../ui/api.ts';
import { formatDateTime } from '../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../ui/layout.tsx';
import { Empty, QueryView } from '../../ui/states.tsx';
import { api, type OutboxList } from '../api.ts';
import { product } from '../session.tsx';

export function Outbox() {
  usePageTitle('Outbox', product);
  const outbox = useQuery({ queryKey: ['admin', '/outbox'], queryFn: () => api.get<OutboxList>('/outbox') });
  return (
    <>
      <PageHeader
        title="Outbox"
        description="E-mail to developers, kept here when no SMTP server is configured."
        actions={
          <Button variant="default" onClick={() => void outbox.refetch()} loading={outbox.isRefetching}>
            Refresh
          </Button>
        }
      />
      <QueryView query={outbox} loadingLabel="Loading the outbox…">
        {({ data, smtp }) => (
          <>
            {smtp && (
              <Alert color="blue" mb="md" title="Mail goes out through SMTP" role="status">
                Messages are sent to the developers' inboxes and are not kept here.
              </Alert>
            )}
            {data.length === 0 ? (
              <Empty title="No messages" description="Sign-ups and password resets put their e-mail here." />
            ) : (
              <Table.ScrollContainer minWidth={560}>
                <Table highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Subject</Table.Th>
                      <Table.Th scope="col">To</Table.Th>
                      <Table.Th scope="col">Sent</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.map((message) => (
                      <Table.Tr key={message.id}>
                        <Table.Th scope="row" fw={500}>
                          <Anchor component={Link} to={`/outbox/${segment(message.id)}`}>
                            {message.subject || '(no subject)'}
                          </Anchor>
                        </Table.Th>
                        <Table.Td>{message.to}</Table.Td>
                        <Table.Td>{formatDateTime(message.sentAt)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </>
        )}
      </QueryView>
    </>
  );
}
