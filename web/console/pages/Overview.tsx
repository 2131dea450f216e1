// The console's first page: what is configured, what waits for a decision, and the version.
import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { PageHeader, usePageTitle } from '../../ui/layout.tsx';
import { ErrorAlert } from '../../ui/states.tsx';
import {
  type Account,
  type Api,
  type Application,
  api,
  type Plan,
  type Product,
  type Status,
  useAdminList,
} from '../api.ts';
import { product, usePending } from '../session.tsx';

export function Overview() {
  usePageTitle('Overview', product);
  const status = useQuery({ queryKey: ['admin', '/status'], queryFn: () => api.get<Status>('/status') });
  const apis = useAdminList<Api>('/apis');
  const products = useAdminList<Product>('/products');
  const plans = useAdminList<Plan>('/plans');
  const accounts = useAdminList<Account>('/accounts');
  const applications = useAdminList<Application>('/applications');
  const pending = usePending();
  const count = (list: { data?: unknown[]; hasNextPage: boolean; isPending: boolean }) =>
    list.isPending ? '…' : `${list.data?.length ?? 0}${list.hasNextPage ? '+' : ''}`;
  const waitingAccounts = pending.accounts.data?.length ?? 0;
  const waitingSubscriptions = pending.subscriptions.data?.length ?? 0;

  const tiles = [
    { label: 'APIs', value: count(apis), to: '/apis' },
    { label: 'Products', value: count(products), to: '/products' },
    { label: 'Plans', value: count(plans), to: '/products' },
    { label: 'Accounts', value: count(accounts), to: '/accounts' },
    { label: 'Applications', value: count(applications), to: '/applications' },
  ];

  return (
    <>
      <PageHeader title="Overview" description="What this Turnpike serves, and what waits for you." />
      <Stack gap="xl">
        <section aria-labelledby="waiting">
          <Title order={2} id="waiting" fz="xl" mb="sm">
            Waiting for approval
          </Title>
          {pending.accounts.isError || pending.subscriptions.isError ? (
            <ErrorAlert error={pending.accounts.error ?? pending.subscriptions.error} />
          ) : waitingAccounts + waitingSubscriptions === 0 ? (
            <Text>Nothing waits for approval.</Text>
          ) : (
            <Text>
              {waitingAccounts} {waitingAccounts === 1 ? 'account' : 'accounts'} and {waitingSubscriptions}{' '}
              {waitingSubscriptions === 1 ? 'subscription' : 'subscriptions'} wait for a decision.{' '}
              <Anchor component={Link} to="/approvals">
                Review them
              </Anchor>
            </Text>
          )}
        </section>
        <section aria-labelledby="configured">
          <Title order={2} id="configured" fz="xl" mb="sm">
            Configured
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }}>
            {tiles.map((tile) => (
              <Card key={tile.label} withBorder padding="md" component={Link} to={tile.to}>
                <Text size="sm" c="dimmed">
                  {tile.label}
                </Text>
                <Text fz={28} fw={700}>
                  {tile.value}
                </Text>
              </Card>
            ))}
          </SimpleGrid>
        </section>
        <section aria-labelledby="status">
          <Title order={2} id="status" fz="xl" mb="sm">
            Status
          </Title>
          {status.isError ? (
            <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />
          ) : (
            <Group gap="xl">
              <Text>Version {status.data?.version ?? '…'}</Text>
              <Text>Store {status.data?.store ?? '…'}</Text>
              <Text>
                Configuration revision {status.data?.revision ?? '…'}
                {status.data &&
                  (status.data.snapshotVersion === status.data.revision
                    ? ', served by the gateway'
                    : `, the gateway serves ${status.data.snapshotVersion ?? 'none yet'}`)}
              </Text>
            </Group>
          )}
        </section>
      </Stack>
    </>
  );
}
