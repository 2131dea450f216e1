// One published page at its kind's address (/guides/:slug, /faq/:slug, /changelog/:slug),
// rendered from its Markdown.
import { Anchor, Breadcrumbs, Button, Text } from '@mantine/core';
import { Link, Navigate, useParams } from 'react-router';
import { ApiError } from '../../../ui/api.ts';
import { formatDate } from '../../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { Markdown } from '../../../ui/Markdown.tsx';
import { Empty, QueryView } from '../../../ui/states.tsx';
import { product } from '../../session.tsx';
import { kinds, type PageKind, pagePath, usePage } from './content.ts';

export function ContentPage({ kind }: { kind: PageKind }) {
  const { slug = '' } = useParams();
  const page = usePage(slug);
  const missing = page.error instanceof ApiError && page.error.status === 404;
  usePageTitle(page.data?.title ?? (missing ? 'Page not found' : kinds[kind].title), product);
  if (missing) {
    return (
      <>
        <PageHeader title="Page not found" />
        <Empty
          title="There is no such page"
          description="It may have been renamed or taken down."
          action={
            <Button component={Link} to={kinds[kind].path}>
              {kinds[kind].back}
            </Button>
          }
        />
      </>
    );
  }
  return (
    <QueryView query={page} loadingLabel="Loading the page…">
      {(p) =>
        // A page of another kind lives at its own kind's address.
        p.kind !== kind ? (
          <Navigate to={pagePath(p)} replace />
        ) : (
          <article aria-labelledby="content-page-title">
            <PageHeader
              before={
                <Breadcrumbs aria-label="Breadcrumb">
                  <Anchor component={Link} to={kinds[kind].path} size="sm">
                    {kinds[kind].title}
                  </Anchor>
                  <Text size="sm">{p.title}</Text>
                </Breadcrumbs>
              }
              title={<span id="content-page-title">{p.title}</span>}
              description={`Updated ${formatDate(p.updatedAt)}`}
            />
            <Markdown source={p.body} headingLevel={2} />
          </article>
        )
      }
    </QueryView>
  );
}
