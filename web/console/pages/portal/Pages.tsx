// The portal's content pages (guides, FAQ entries, changelog entries): a list to open, edit or
// delete them, and the way to write a new one.
import { Anchor, Button, Code, Group } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { DataTable } from '../../../ui/DataTable.tsx';
import { formatDateTime } from '../../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { Empty, QueryView } from '../../../ui/states.tsx';
import { api, useAdminList } from '../../api.ts';
import { product } from '../../session.tsx';
import { LoadMore } from '../lists.tsx';
import { type ContentPage, kindLabel, pageKinds, paths } from './portal.ts';

const kindRank = (kind: string) => pageKinds.findIndex((k) => k.value === kind);

export function Pages() {
  usePageTitle('Pages', product);
  const client = useQueryClient();
  const pages = useAdminList<ContentPage>(paths.pages);
  const remove = async (page: ContentPage) => {
    await api.delete(paths.page(page.id));
    await client.invalidateQueries({ queryKey: ['admin', paths.pages] });
  };
  return (
    <>
      <PageHeader
        title="Pages"
        description="Guides, FAQ entries and changelog entries for the portal, written in Markdown. Developers see the published ones."
        actions={
          <Button component={Link} to="/portal/pages/new">
            New page
          </Button>
        }
      />
      <QueryView query={pages} loadingLabel="Loading pages…">
        {(items) =>
          items.length === 0 ? (
            <Empty
              title="No pages yet"
              description="Write a guide, an FAQ entry or a changelog entry with New page."
            />
          ) : (
            <>
              <DataTable
                minWidth={760}
                items={[...items].sort(
                  (a, b) =>
                    kindRank(a.kind) - kindRank(b.kind) ||
                    a.order - b.order ||
                    a.title.localeCompare(b.title),
                )}
                columns={[
                  {
                    header: 'Title',
                    cell: (page) => (
                      <Anchor component={Link} to={`/portal/pages/${encodeURIComponent(page.id)}`}>
                        {page.title}
                      </Anchor>
                    ),
                  },
                  { header: 'Kind', cell: (page) => kindLabel(page.kind) },
                  { header: 'Slug', cell: (page) => <Code>{page.slug}</Code> },
                  {
                    header: 'State',
                    cell: (page) => <StateBadge state={page.published ? 'published' : 'draft'} />,
                  },
                  { header: 'Order', cell: (page) => page.order, align: 'right' },
                  { header: 'Updated', cell: (page) => formatDateTime(page.updatedAt) },
                  {
                    header: 'Actions',
                    cell: (page) => (
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button
                          component={Link}
                          to={`/portal/pages/${encodeURIComponent(page.id)}`}
                          variant="default"
                          size="xs"
                          aria-label={`Edit page ${page.title}`}
                        >
                          Edit
                        </Button>
                        <ConfirmButton
                          title={`Delete ${page.title}?`}
                          message={`Developers no longer find it at its address (${page.slug}). This cannot be undone.`}
                          confirmLabel="Delete page"
                          onConfirm={() => remove(page)}
                          ariaLabel={`Delete page ${page.title}`}
                        >
                          Delete
                        </ConfirmButton>
                      </Group>
                    ),
                  },
                ]}
              />
              <LoadMore list={pages} />
            </>
          )
        }
      </QueryView>
    </>
  );
}
