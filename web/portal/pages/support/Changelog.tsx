// The changelog: every entry with its text, newest (highest order) first.
import { Anchor, Divider, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Fragment } from 'react';
import { Link } from 'react-router';
import { formatDate } from '../../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { Markdown } from '../../../ui/Markdown.tsx';
import { Empty, QueryView } from '../../../ui/states.tsx';
import { product } from '../../session.tsx';
import { type PageSummary, pagePath, pageQuery, usePages } from './content.ts';

/** Newest first: the highest order on top, then the latest change. */
export const newestFirst = (a: PageSummary, b: PageSummary) =>
  b.order - a.order || b.updatedAt.localeCompare(a.updatedAt);

export function Changelog() {
  usePageTitle('Changelog', product);
  const entries = usePages('changelog');
  return (
    <>
      <PageHeader title="Changelog" description="What changed in the APIs and this portal." />
      <QueryView query={entries} loadingLabel="Loading the changelog…">
        {(items) =>
          items.length === 0 ? (
            <Empty title="No changes announced yet" />
          ) : (
            <Stack gap="lg">
              {[...items].sort(newestFirst).map((entry, index) => (
                <Fragment key={entry.slug}>
                  {index > 0 && <Divider />}
                  <Entry entry={entry} />
                </Fragment>
              ))}
            </Stack>
          )
        }
      </QueryView>
    </>
  );
}

function Entry({ entry }: { entry: PageSummary }) {
  const page = useQuery(pageQuery(entry.slug));
  const headingId = `changelog-${entry.slug}`;
  return (
    <section aria-labelledby={headingId}>
      <Title order={2} fz="xl" id={headingId}>
        <Anchor component={Link} to={pagePath(entry)} inherit c="inherit">
          {entry.title}
        </Anchor>
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {formatDate(entry.updatedAt)}
      </Text>
      <QueryView query={page} loadingLabel="Loading the entry…">
        {(p) => <Markdown source={p.body} />}
      </QueryView>
    </section>
  );
}
