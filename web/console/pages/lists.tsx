// The console's read-only lists: APIs, accounts and applications, with their key fields.
import { Badge, Button, Center, Code, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { type Column, DataTable } from '../../ui/DataTable.tsx';
import { formatDate } from '../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../ui/layout.tsx';
import { StateBadge } from '../../ui/StateBadge.tsx';
import { Empty, QueryView } from '../../ui/states.tsx';
import { type Account, type Api, type Application, useAdminList, useNames } from '../api.ts';
import { product } from '../session.tsx';

type AdminList<T> = ReturnType<typeof useAdminList<T>>;

/** A list page: title, the table or an empty state, and "Load more" past the first 200. */
export function ListPage<T extends { id: string }>({
  title,
  description,
  list,
  columns,
  empty,
}: {
  title: string;
  description: ReactNode;
  list: AdminList<T>;
  columns: Column<T>[];
  empty: { title: string; description: ReactNode };
}) {
  usePageTitle(title, product);
  return (
    <>
      <PageHeader title={title} description={description} />
      <QueryView query={list} loadingLabel={`Loading ${title.toLowerCase()}…`}>
        {(items) =>
          items.length === 0 ? (
            <Empty title={empty.title} description={empty.description} />
          ) : (
            <>
              <DataTable items={items} columns={columns} />
              <LoadMore list={list} />
            </>
          )
        }
      </QueryView>
    </>
  );
}

export function LoadMore<T>({ list }: { list: AdminList<T> }) {
  if (!list.hasNextPage) return null;
  return (
    <Center mt="md">
      <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
        Load more
      </Button>
    </Center>
  );
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

export function Apis() {
  const list = useAdminList<Api>('/apis');
  const upstreamName = useNames('/upstreams');
  return (
    <ListPage
      title="APIs"
      description={
        <>
          What the gateway serves. Change them with the admin API or <Code>turnpike apply</Code>.
        </>
      }
      list={list}
      empty={{
        title: 'No APIs yet',
        description: 'Create one with POST /admin/v1/apis or a declarative file.',
      }}
      columns={[
        { header: 'Name', cell: (a) => a.name },
        { header: 'Base path', cell: (a) => <Code>{a.basePath}</Code> },
        { header: 'Hosts', cell: (a) => (a.hosts.length === 0 ? 'any' : a.hosts.join(', ')) },
        { header: 'Upstream', cell: (a) => upstreamName(a.upstreamId) },
        { header: 'Keyless', cell: (a) => yesNo(a.keyless) },
        {
          header: 'Portal',
          cell: (a) => (
            <Group gap={4}>
              {a.visibility && (
                <Badge variant="outline" color="gray" radius="sm" tt="none">
                  {a.visibility}
                </Badge>
              )}
              {a.lifecycle && <StateBadge state={a.lifecycle} />}
              {!a.visibility && !a.lifecycle && '—'}
            </Group>
          ),
        },
        { header: 'Id', cell: (a) => <Code>{a.id}</Code> },
      ]}
    />
  );
}

export function Accounts() {
  const list = useAdminList<Account>('/accounts');
  return (
    <ListPage
      title="Accounts"
      description="Developer organizations. Pending ones wait on the Approvals page."
      list={list}
      empty={{ title: 'No accounts yet', description: 'Developers create them by signing up on the portal.' }}
      columns={[
        { header: 'Name', cell: (a) => a.name },
        { header: 'E-mail', cell: (a) => a.email ?? '—' },
        { header: 'State', cell: (a) => <StateBadge state={a.state} /> },
        { header: 'Tier', cell: (a) => a.tier },
        { header: 'Created', cell: (a) => formatDate(a.createdAt) },
        { header: 'Id', cell: (a) => <Code>{a.id}</Code> },
      ]}
    />
  );
}

export function Applications() {
  const list = useAdminList<Application>('/applications');
  const accountName = useNames('/accounts');
  return (
    <ListPage
      title="Applications"
      description="What developers registered to call the APIs, with their accounts."
      list={list}
      empty={{ title: 'No applications yet', description: 'Developers create them on the portal.' }}
      columns={[
        { header: 'Name', cell: (a) => a.name },
        { header: 'Account', cell: (a) => accountName(a.accountId) },
        { header: 'State', cell: (a) => <StateBadge state={a.state} /> },
        {
          header: 'Description',
          cell: (a) => (
            <Text size="sm" lineClamp={2}>
              {a.description || '—'}
            </Text>
          ),
        },
        { header: 'Created', cell: (a) => formatDate(a.createdAt) },
        { header: 'Id', cell: (a) => <Code>{a.id}</Code> },
      ]}
    />
  );
}
