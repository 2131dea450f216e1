// The account's applications.
import { Alert, Anchor, Button, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { formatDate } from '../../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { Empty, QueryView } from '../../../ui/states.tsx';
import { type Application, api, type List } from '../../api.ts';
import { product, useSession } from '../../session.tsx';

export const applicationsKey = ['applications'] as const;

export function Applications() {
  usePageTitle('Applications', product);
  const account = useSession().data?.account;
  const applications = useQuery({
    queryKey: applicationsKey,
    queryFn: () => api.get<List<Application>>('/applications'),
  });
  const create = (
    <Button component={Link} to="/applications/new">
      Create application
    </Button>
  );
  return (
    <>
      <PageHeader
        title="Applications"
        description="Each application has its own keys, subscriptions and usage."
        actions={create}
      />
      {account?.state === 'pending' && (
        <Alert color="yellow" title="Your account awaits approval" mb="lg" role="status">
          The provider reviews new organizations. You can prepare applications now; their keys work once{' '}
          {account.name} is approved.
        </Alert>
      )}
      {account?.state === 'suspended' && (
        <Alert color="red" title="Your account is suspended" mb="lg" role="status">
          Keys of {account.name} do not work. Contact the API provider.
        </Alert>
      )}
      <QueryView query={applications} loadingLabel="Loading applications…">
        {({ data }) =>
          data.length === 0 ? (
            <Empty
              title="No applications yet — create one"
              description="An application holds the API keys your code calls with, and the plans it is subscribed to."
              action={create}
            />
          ) : (
            <Table.ScrollContainer minWidth={520}>
              <Table highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Description</Table.Th>
                    <Table.Th scope="col">State</Table.Th>
                    <Table.Th scope="col">Created</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.map((app) => (
                    <Table.Tr key={app.id}>
                      <Table.Th scope="row" fw={500}>
                        <Anchor component={Link} to={`/applications/${encodeURIComponent(app.id)}`}>
                          {app.name}
                        </Anchor>
                      </Table.Th>
                      <Table.Td>
                        <Text size="sm" lineClamp={2}>
                          {app.description || '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <StateBadge state={app.state} />
                      </Table.Td>
                      <Table.Td>{formatDate(app.createdAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryView>
    </>
  );
}
