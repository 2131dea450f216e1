// An application's subscriptions: which plans it is on, pending ones awaiting the provider,
// changing plan within a product, and cancelling.
import { Alert, Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { Dialog } from '../../../ui/Dialog.tsx';
import { formatDate } from '../../../ui/format.ts';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { Empty, FormError, QueryView } from '../../../ui/states.tsx';
import { api, type List, openStates, type Product, paths, type Subscription } from '../../api.ts';
import { PlanBadges, PlanLimits, PlanPrice } from '../catalog/PlanSummary.tsx';
import { useApplication } from './ApplicationPage.tsx';

export const subscriptionsKey = (app: string) => ['applications', app, 'subscriptions'] as const;
export const productsKey = ['products'] as const;

export function useSubscriptions(app: string) {
  return useQuery({
    queryKey: subscriptionsKey(app),
    queryFn: () => api.get<List<Subscription>>(paths.subscriptions(app)),
  });
}

export function useProducts() {
  return useQuery({ queryKey: productsKey, queryFn: () => api.get<List<Product>>('/products') });
}

/** What the subscribe page hands back: the new subscription, to say whether it awaits approval. */
export interface SubscribedNotice {
  subscribed: { plan: string; product: string; state: string };
}

export function Subscriptions() {
  const app = useApplication();
  const subscriptions = useSubscriptions(app.id);
  const notice = (useLocation().state as SubscribedNotice | null)?.subscribed;
  const subscribe = (
    <Button component={Link} to={`/applications/${encodeURIComponent(app.id)}/subscriptions/new`}>
      Subscribe to a plan
    </Button>
  );
  return (
    <section aria-labelledby="subscriptions-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="xl" id="subscriptions-title">
          Subscriptions
        </Title>
        {subscribe}
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        A subscription puts the application on a plan of a product: its keys may call that product's APIs,
        within the plan's limits.
      </Text>
      {notice && (
        <Alert
          color={notice.state === 'pending' ? 'yellow' : 'green'}
          title={notice.state === 'pending' ? 'Waiting for approval' : 'Subscribed'}
          mb="md"
          role="status"
        >
          {notice.state === 'pending'
            ? `The provider approves subscriptions to the ${notice.plan} plan of ${notice.product}. The keys can call its APIs once it is approved.`
            : `The application is on the ${notice.plan} plan of ${notice.product}; its keys can call the APIs now.`}
        </Alert>
      )}
      <QueryView query={subscriptions} loadingLabel="Loading subscriptions…">
        {({ data }) =>
          data.length === 0 ? (
            <Empty
              title="No subscriptions yet — subscribe to a plan"
              description="Without a subscription, the application's keys cannot call any API."
              action={subscribe}
            />
          ) : (
            <SubscriptionTable app={app.id} subscriptions={data} />
          )
        }
      </QueryView>
    </section>
  );
}

function SubscriptionTable({ app, subscriptions }: { app: string; subscriptions: Subscription[] }) {
  const client = useQueryClient();
  const products = useProducts();
  const [changing, setChanging] = useState<Subscription | null>(null);
  // Open subscriptions first, then the history, newest first within each.
  const sorted = [...subscriptions].sort(
    (a, b) =>
      Number(openStates.has(b.state)) - Number(openStates.has(a.state)) ||
      b.createdAt.localeCompare(a.createdAt),
  );
  const cancel = async (subscription: Subscription) => {
    await api.delete(paths.subscription(subscription.id));
    await client.invalidateQueries({ queryKey: subscriptionsKey(app) });
  };
  const otherPlans = (subscription: Subscription) =>
    products.data?.data
      .find((p) => p.id === subscription.product.id)
      ?.plans.filter((plan) => plan.id !== subscription.planId) ?? [];

  return (
    <>
      <Table.ScrollContainer minWidth={640}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Product</Table.Th>
              <Table.Th scope="col">Plan</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">Since</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((subscription) => {
              const name = `${subscription.plan.name} plan of ${subscription.product.name}`;
              const open = openStates.has(subscription.state);
              return (
                <Table.Tr key={subscription.id}>
                  <Table.Th scope="row" fw={500}>
                    {subscription.product.name}
                  </Table.Th>
                  <Table.Td>{subscription.plan.name}</Table.Td>
                  <Table.Td>
                    <StateBadge state={subscription.state} />
                  </Table.Td>
                  <Table.Td>{formatDate(subscription.createdAt)}</Table.Td>
                  <Table.Td>
                    {open && (
                      <Group gap="xs" wrap="nowrap" justify="flex-end">
                        {otherPlans(subscription).length > 0 && (
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => setChanging(subscription)}
                            aria-label={`Change plan of ${subscription.product.name}`}
                          >
                            Change plan
                          </Button>
                        )}
                        <ConfirmButton
                          title={`Cancel the ${name}?`}
                          message="The application's keys stop calling this product's APIs. To come back, subscribe again."
                          confirmLabel="Cancel subscription"
                          onConfirm={() => cancel(subscription)}
                          ariaLabel={`Cancel subscription to the ${name}`}
                        >
                          Cancel
                        </ConfirmButton>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ChangePlanModal
        app={app}
        subscription={changing}
        plans={changing ? otherPlans(changing) : []}
        onClose={() => setChanging(null)}
      />
    </>
  );
}

function ChangePlanModal({
  app,
  subscription,
  plans,
  onClose,
}: {
  app: string;
  subscription: Subscription | null;
  plans: Product['plans'];
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [planId, setPlanId] = useState('');
  const chosen = plans.find((p) => p.id === planId) ?? plans[0];
  const change = useMutation({
    mutationFn: () => api.patch(paths.subscription(subscription?.id ?? ''), { planId: chosen?.id }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: subscriptionsKey(app) });
      close();
    },
  });
  const close = () => {
    change.reset();
    setPlanId('');
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <Dialog
      opened={subscription !== null}
      onClose={close}
      title={subscription ? `Change the plan of ${subscription.product.name}` : 'Change plan'}
    >
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">
            Now on <strong>{subscription?.plan.name}</strong>. The change is immediate; what the application
            used in the current periods counts against the new plan's limits.
          </Text>
          <NativeSelect
            label="New plan"
            data={plans.map((p) => ({ value: p.id, label: p.name }))}
            value={chosen?.id ?? ''}
            onChange={(event) => setPlanId(event.currentTarget.value)}
          />
          {chosen && (
            <Stack gap="xs">
              <PlanBadges plan={chosen} />
              <PlanPrice plan={chosen} />
              <PlanLimits plan={chosen} />
            </Stack>
          )}
          <FormError error={change.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Keep the current plan
            </Button>
            <Button type="submit" loading={change.isPending} disabled={!chosen}>
              Change plan
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
