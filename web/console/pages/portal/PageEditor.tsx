// Write a content page: title, address, kind, order, whether developers see it, and its
// Markdown body beside a live preview. `/portal/pages/new` creates, `/portal/pages/:pageId` edits.
import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { Markdown } from '../../../ui/Markdown.tsx';
import { FormError, QueryView } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { product } from '../../session.tsx';
import { type ContentPage, type PageKind, pageKinds, paths } from './portal.ts';

type Draft = Pick<ContentPage, 'title' | 'slug' | 'kind' | 'body' | 'published' | 'order'>;

const emptyDraft: Draft = { title: '', slug: '', kind: 'guide', body: '', published: false, order: 0 };

/** `Getting started!` → `getting-started`: the address a title suggests. */
export function slugFrom(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

export function NewPage() {
  usePageTitle('New page', product);
  return <PageForm initial={emptyDraft} />;
}

export function EditPage() {
  const { pageId = '' } = useParams();
  const page = useQuery({
    queryKey: ['admin', paths.pages, pageId],
    queryFn: () => api.get<ContentPage>(paths.page(pageId)),
  });
  usePageTitle(page.data ? `Edit ${page.data.title}` : 'Edit page', product);
  return (
    <QueryView query={page} loadingLabel="Loading the page…">
      {(data) => <PageForm key={data.id} page={data} initial={data} />}
    </QueryView>
  );
}

function PageForm({ page, initial }: { page?: ContentPage; initial: Draft }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>({
    title: initial.title,
    slug: initial.slug,
    kind: initial.kind,
    body: initial.body,
    published: initial.published,
    order: initial.order,
  });
  // A new page's address follows its title until someone types one.
  const [slugTouched, setSlugTouched] = useState(page !== undefined);

  const save = useMutation({
    mutationFn: () => {
      const body = { ...draft, title: draft.title.trim(), slug: draft.slug.trim() };
      return page
        ? api.patch<ContentPage>(paths.page(page.id), body)
        : api.post<ContentPage>(paths.pages, body);
    },
    onSuccess: async (saved) => {
      client.setQueryData(['admin', paths.pages, saved.id], saved);
      await client.invalidateQueries({ queryKey: ['admin', paths.pages], exact: false });
      if (!page) navigate('/portal/pages');
    },
  });
  const change = (next: Partial<Draft>) => {
    save.reset();
    setDraft((current) => ({ ...current, ...next }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  const title = page ? `Edit ${page.title}` : 'New page';
  return (
    <>
      <PageHeader
        before={
          <Breadcrumbs aria-label="Breadcrumb">
            <Anchor component={Link} to="/portal/pages" size="sm">
              Pages
            </Anchor>
            <Text size="sm">{page ? page.title : 'New'}</Text>
          </Breadcrumbs>
        }
        title={title}
        description="Markdown: headings, lists, links, code and tables. Raw HTML and images show as text."
      />
      <form onSubmit={submit}>
        <Stack gap="lg">
          <Paper withBorder p="lg">
            <Stack>
              <TextInput
                label="Title"
                required
                maxLength={200}
                value={draft.title}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  change(slugTouched ? { title: value } : { title: value, slug: slugFrom(value) });
                }}
              />
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput
                  label="Slug"
                  description="Lowercase letters, digits and dashes: the page's address."
                  required
                  maxLength={80}
                  value={draft.slug}
                  onChange={(e) => {
                    setSlugTouched(true);
                    change({ slug: e.currentTarget.value });
                  }}
                />
                <NativeSelect
                  label="Kind"
                  description="Where it is listed on the portal."
                  data={pageKinds}
                  value={draft.kind}
                  onChange={(e) => change({ kind: e.currentTarget.value as PageKind })}
                />
                <NumberInput
                  label="Order"
                  description="Lower comes first."
                  allowDecimal={false}
                  value={draft.order}
                  onChange={(value) => change({ order: typeof value === 'number' ? value : 0 })}
                />
              </SimpleGrid>
              <Switch
                label="Published"
                description="Developers see published pages; drafts stay here."
                checked={draft.published}
                onChange={(e) => change({ published: e.currentTarget.checked })}
              />
            </Stack>
          </Paper>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Textarea
              label="Body"
              description="Markdown."
              autosize
              minRows={16}
              maxRows={40}
              spellCheck
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              value={draft.body}
              onChange={(e) => change({ body: e.currentTarget.value })}
            />
            <Paper withBorder p="lg" component="section" aria-labelledby="page-preview">
              <Title order={2} fz="lg" id="page-preview" mb="sm">
                Preview
              </Title>
              {draft.body.trim() === '' ? (
                <Text c="dimmed" size="sm">
                  The body shows here as developers will see it.
                </Text>
              ) : (
                <Markdown source={draft.body} />
              )}
            </Paper>
          </SimpleGrid>
          <FormError error={save.error} />
          {page && save.isSuccess && (
            <Alert color="green" role="status" title="Page saved">
              {draft.published
                ? 'Developers see the new version now.'
                : 'It is a draft: developers do not see it.'}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button component={Link} to="/portal/pages" variant="default">
              {page ? 'Back to pages' : 'Cancel'}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {page ? 'Save page' : 'Create page'}
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
