// Approvals: developer accounts and subscriptions to manual-approval plans that wait for a
// provider's decision.
import { Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { segment } from '../../ui/api.ts';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../ui/layout.tsx';
import { Empty, ErrorAlert, QueryView } from '../../ui/states.tsx';
import {
  type Account,
  type Application,
  api,
  type Plan,
  type Subscription,
  useAdminList,
  useNames,
} from '../api.ts';
import { product, usePending } from '../session.tsx';

export function Approvals() {
  usePageTitle('Approvals', product);
  const { accounts, subscriptions } = usePending();
  return (
    <>
      <PageHeader
        title="Approvals"
        description="New developer organizations, and subscriptions to plans that need approval."
      />
      <Stack gap="xl">
        <section aria-labelledby="pending-accounts">
          <Title order={2} id="pending-accounts" fz="xl" mb="sm">
            Accounts
          </Title>
          <QueryView query={accounts} loadingLabel="Loading accounts…">
            {(data) =>
              data.length === 0 ? (
                <Empty title="No accounts wait for approval" />
              ) : (
                <PendingAccounts accounts={data} />
              )
            }
          </QueryView>
        </section>
        <section aria-labelledby="pending-subscriptions">
          <Title order={2} id="pending-subscriptions" fz="xl" mb="sm">
            Subscriptions
          </Title>
          <QueryView query={subscriptions} loadingLabel="Loading subscriptions…">
            {(data) =>
              data.length === 0 ? (
                <Empty title="No subscriptions wait for approval" />
              ) : (
                <PendingSubscriptions subscriptions={data} />
              )
            }
          </QueryView>
        </section>
      </Stack>
    </>
  );
}

/** A decision, then the lists and counts that show it refreshed. */
function useDecision<T>(path: (item: T) => string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ item, state }: { item: T; state: string }) => api.patch(path(item), { state }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin'] }),
  });
}

function PendingAccounts({ accounts }: { accounts: Account[] }) {
  const decide = useDecision<Account>((account) => `/accounts/${segment(account.id)}`);
  const busy = (account: Account, state: string) =>
    decide.isPending && decide.variables.item.id === account.id && decide.variables.state === state;
  return (
    <Stack gap="sm">
      {decide.isError && <ErrorAlert error={decide.error} title="The decision was not saved" />}
      <Table.ScrollContainer minWidth={640}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Account</Table.Th>
              <Table.Th scope="col">E-mail</Table.Th>
              <Table.Th scope="col">Tier</Table.Th>
              <Table.Th scope="col">Signed up</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">Decision</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {accounts.map((account) => (
              <Table.Tr key={account.id}>
                <Table.Th scope="row" fw={500}>
                  {account.name}
                </Table.Th>
                <Table.Td>{account.email ?? '—'}</Table.Td>
                <Table.Td>{account.tier}</Table.Td>
                <Table.Td>{formatDateTime(account.createdAt)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button
                      size="xs"
                      onClick={() => decide.mutate({ item: account, state: 'approved' })}
                      loading={busy(account, 'approved')}
                      disabled={decide.isPending && !busy(account, 'approved')}
                      aria-label={`Approve account ${account.name}`}
                    >
                      Approve
                    </Button>
                    <ConfirmButton
                      title={`Suspend ${account.name}?`}
                      message="Its applications cannot call any API until the account is approved."
                      confirmLabel="Suspend account"
                      onConfirm={() => decide.mutateAsync({ item: account, state: 'suspended' })}
                      ariaLabel={`Suspend account ${account.name}`}
                      buttonProps={{ disabled: decide.isPending }}
                    >
                      Suspend
                    </ConfirmButton>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function PendingSubscriptions({ subscriptions }: { subscriptions: Subscription[] }) {
  const decide = useDecision<Subscription>((subscription) => `/subscriptions/${segment(subscription.id)}`);
  const applications = useAdminList<Application>('/applications');
  const plans = useAdminList<Plan>('/plans');
  const accountName = useNames('/accounts');
  const productName = useNames('/products');
  const busy = (subscription: Subscription, state: string) =>
    decide.isPending && decide.variables.item.id === subscription.id && decide.variables.state === state;
  return (
    <Stack gap="sm">
      {decide.isError && <ErrorAlert error={decide.error} title="The decision was not saved" />}
      <Table.ScrollContainer minWidth={720}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Application</Table.Th>
              <Table.Th scope="col">Account</Table.Th>
              <Table.Th scope="col">Product</Table.Th>
              <Table.Th scope="col">Plan</Table.Th>
              <Table.Th scope="col">Requested</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">Decision</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {subscriptions.map((subscription) => {
              const app = applications.data?.find((a) => a.id === subscription.applicationId);
              const plan = plans.data?.find((p) => p.id === subscription.planId);
              const name = `${app?.name ?? subscription.applicationId} on ${plan?.name ?? subscription.planId}`;
              return (
                <Table.Tr key={subscription.id}>
                  <Table.Th scope="row" fw={500}>
                    {app?.name ?? subscription.applicationId}
                  </Table.Th>
                  <Table.Td>{accountName(app?.accountId)}</Table.Td>
                  <Table.Td>{productName(plan?.productId)}</Table.Td>
                  <Table.Td>{plan?.name ?? subscription.planId}</Table.Td>
                  <Table.Td>{formatDateTime(subscription.createdAt)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button
                        size="xs"
                        onClick={() => decide.mutate({ item: subscription, state: 'active' })}
                        loading={busy(subscription, 'active')}
                        disabled={decide.isPending && !busy(subscription, 'active')}
                        aria-label={`Approve subscription ${name}`}
                      >
                        Approve
                      </Button>
                      <ConfirmButton
                        title={`Reject ${name}?`}
                        message={
                          <Text size="sm">
                            The subscription ends as rejected; the developer may ask again with a new one.
                          </Text>
                        }
                        confirmLabel="Reject subscription"
                        onConfirm={() => decide.mutateAsync({ item: subscription, state: 'rejected' })}
                        ariaLabel={`Reject subscription ${name}`}
                        buttonProps={{ disabled: decide.isPending }}
                      >
                        Reject
                      </ConfirmButton>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
