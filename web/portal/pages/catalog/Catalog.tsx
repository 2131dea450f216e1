// The catalog: the APIs this developer may use, with a search box.
import { Badge, Button, Card, Code, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../../ui/api.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { Empty, ErrorAlert, LoadingState } from '../../../ui/states.tsx';
import { type ApiSummary, api, type List } from '../../api.ts';
import { product, useSession } from '../../session.tsx';

export function Catalog() {
  usePageTitle('APIs', product);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const session = useSession();
  // The catalog is per account: a visitor who has not signed in is asked to, without a 401.
  const apis = useQuery({
    queryKey: ['apis', q],
    queryFn: () => api.get<List<ApiSummary>>('/apis', { q: q === '' ? undefined : q }),
    placeholderData: keepPreviousData,
    enabled: Boolean(session.data),
  });
  const signedOut = session.data === null || (apis.error instanceof ApiError && apis.error.status === 401);

  return (
    <>
      <PageHeader
        title="APIs"
        description="What you can build with. Open an API for its plans and its OpenAPI file."
      />
      {!signedOut && (
        <search>
          <TextInput
            label="Search APIs"
            type="search"
            placeholder="Name, description or operation"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            mb="lg"
            maw={480}
          />
        </search>
      )}
      {signedOut ? (
        <Empty
          title="Sign in to see the APIs"
          description="The catalog shows the APIs your organization may use. New here? Create an account first."
          action={
            <Group>
              <Button component={Link} to="/signin?next=%2Fapis">
                Sign in
              </Button>
              <Button component={Link} to="/signup" variant="default">
                Create an account
              </Button>
            </Group>
          }
        />
      ) : apis.isError ? (
        <ErrorAlert error={apis.error} onRetry={() => void apis.refetch()} />
      ) : apis.isPending ? (
        <LoadingState label="Loading APIs…" />
      ) : apis.data.data.length === 0 ? (
        <Empty
          title={q === '' ? 'No APIs yet' : `No API matches “${q}”`}
          description={q === '' ? 'The provider has not published any API yet.' : 'Try another word.'}
        />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} aria-busy={apis.isFetching}>
          {apis.data.data.map((item) => (
            <ApiCard key={item.id} item={item} />
          ))}
        </SimpleGrid>
      )}
    </>
  );
}

function ApiCard({ item }: { item: ApiSummary }) {
  return (
    <Card withBorder padding="lg" radius="md" component="article">
      <Stack gap="xs" h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={2} fz="lg">
            <Link to={`/apis/${encodeURIComponent(item.id)}`} style={{ color: 'inherit' }}>
              {item.name}
            </Link>
          </Title>
          {item.version && (
            <Badge variant="outline" color="gray" radius="sm" tt="none">
              {item.version}
            </Badge>
          )}
        </Group>
        <Text size="sm" lineClamp={3} style={{ flex: 1 }}>
          {item.description || 'No description.'}
        </Text>
        <Group gap="xs" justify="space-between">
          <Code>{item.basePath}</Code>
          {item.lifecycle && item.lifecycle !== 'published' && <StateBadge state={item.lifecycle} />}
        </Group>
      </Stack>
    </Card>
  );
}
