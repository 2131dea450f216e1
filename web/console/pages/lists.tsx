// The frame of the console's list pages: title, actions, the table or an empty state, and
// "Load more" past the first 200.
import { Button, Center } from '@mantine/core';
import type { ReactNode } from 'react';
import { type Column, DataTable } from '../../ui/DataTable.tsx';
import { PageHeader, usePageTitle } from '../../ui/layout.tsx';
import { Empty, QueryView } from '../../ui/states.tsx';
import type { useAdminList } from '../api.ts';
import { product } from '../session.tsx';

type AdminList<T> = ReturnType<typeof useAdminList<T>>;

export function ListPage<T extends { id: string }>({
  title,
  description,
  actions,
  filters,
  list,
  columns,
  empty,
}: {
  title: string;
  description: ReactNode;
  /** Beside the title: "Create …". */
  actions?: ReactNode;
  /** Above the table: inputs that narrow the list. */
  filters?: ReactNode;
  list: AdminList<T>;
  columns: Column<T>[];
  empty: { title: string; description: ReactNode; action?: ReactNode };
}) {
  usePageTitle(title, product);
  return (
    <>
      <PageHeader title={title} description={description} actions={actions} />
      {filters}
      <QueryView query={list} loadingLabel={`Loading ${title.toLowerCase()}…`}>
        {(items) =>
          items.length === 0 ? (
            <Empty title={empty.title} description={empty.description} action={empty.action} />
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
