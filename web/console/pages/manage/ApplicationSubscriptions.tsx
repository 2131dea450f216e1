// An application's subscriptions: subscribe it to a plan, approve, suspend, resume or cancel a
// subscription, and move it to another plan of the same product.
import { Button, Checkbox, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { Dialog } from '../../../ui/Dialog.tsx';
import { formatDate } from '../../../ui/format.ts';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { Empty, ErrorAlert, FormError, QueryView } from '../../../ui/states.tsx';
import { type Application, api, type Plan, type Subscription, useAdminList, useNames } from '../../api.ts';
import { FormActions, Section } from './parts.tsx';
import { paths, refreshAll } from './resources.ts';

type Change = { subscription: Subscription; state?: string; planId?: string };

export function ApplicationSubscriptions({ app }: { app: Application }) {
  const subscriptions = useAdminList<Subscription>('/subscriptions', { applicationId: app.id });
  const plans = useAdminList<Plan>('/plans');
  const productName = useNames('/products');
  const client = useQueryClient();
  const [subscribing, setSubscribing] = useState(false);
  const [moving, setMoving] = useState<Subscription | null>(null);
  const change = useMutation({
    mutationFn: ({ subscription, ...body }: Change) => api.patch(paths.subscription(subscription.id), body),
    onSuccess: () => refreshAll(client),
  });
  const planOf = (s: Subscription) => plans.data?.find((p) => p.id === s.planId);
  const nameOf = (s: Subscription) => {
    const plan = planOf(s);
    return `subscription to ${plan?.name ?? s.planId} of ${productName(plan?.productId)}`;
  };
  const busy = (s: Subscription, state: string) =>
    change.isPending && change.variables.subscription.id === s.id && change.variables.state === state;
  const subscribe = <Button onClick={() => setSubscribing(true)}>Subscribe to a plan</Button>;

  return (
    <Section
      title="Subscriptions"
      description="An active subscription lets the application's keys call the APIs of the plan's product."
      actions={subscribe}
    >
      {change.isError && <ErrorAlert error={change.error} title="The subscription was not changed" />}
      <QueryView query={subscriptions} loadingLabel="Loading subscriptions…">
        {(items) =>
          items.length === 0 ? (
            <Empty
              title="No subscriptions yet"
              description="Subscribe the application to a plan."
              action={subscribe}
            />
          ) : (
            <Table.ScrollContainer minWidth={760}>
              <Table highlightOnHover>
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
                  {items.map((s) => {
                    const name = nameOf(s);
                    const open = s.state === 'pending' || s.state === 'active' || s.state === 'suspended';
                    return (
                      <Table.Tr key={s.id}>
                        <Table.Th scope="row" fw={500}>
                          {productName(planOf(s)?.productId)}
                        </Table.Th>
                        <Table.Td>{planOf(s)?.name ?? s.planId}</Table.Td>
                        <Table.Td>
                          <StateBadge state={s.state} />
                        </Table.Td>
                        <Table.Td>{formatDate(s.createdAt)}</Table.Td>
                        <Table.Td>
                          {open && (
                            <Group gap="xs" justify="flex-end" wrap="nowrap">
                              {s.state !== 'active' && (
                                <Button
                                  size="xs"
                                  onClick={() => change.mutate({ subscription: s, state: 'active' })}
                                  loading={busy(s, 'active')}
                                  aria-label={`${s.state === 'pending' ? 'Approve' : 'Resume'} ${name}`}
                                >
                                  {s.state === 'pending' ? 'Approve' : 'Resume'}
                                </Button>
                              )}
                              {s.state === 'active' && (
                                <ConfirmButton
                                  title={`Suspend the ${name}?`}
                                  message="The application's calls to the product's APIs are refused until you resume it."
                                  confirmLabel="Suspend subscription"
                                  ariaLabel={`Suspend ${name}`}
                                  onConfirm={() =>
                                    change.mutateAsync({ subscription: s, state: 'suspended' })
                                  }
                                >
                                  Suspend
                                </ConfirmButton>
                              )}
                              {s.state !== 'pending' && (
                                <Button
                                  size="xs"
                                  variant="default"
                                  onClick={() => setMoving(s)}
                                  aria-label={`Change plan of ${name}`}
                                >
                                  Change plan
                                </Button>
                              )}
                              <ConfirmButton
                                title={`Cancel the ${name}?`}
                                message="Cancelling is final; the application needs a new subscription to call these APIs again."
                                confirmLabel="Cancel subscription"
                                ariaLabel={`Cancel ${name}`}
                                onConfirm={() => change.mutateAsync({ subscription: s, state: 'cancelled' })}
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
          )
        }
      </QueryView>
      <Dialog
        opened={subscribing}
        onClose={() => setSubscribing(false)}
        title={`Subscribe ${app.name} to a plan`}
      >
        {subscribing && (
          <SubscribeForm app={app} plans={plans.data ?? []} onDone={() => setSubscribing(false)} />
        )}
      </Dialog>
      <Dialog opened={moving !== null} onClose={() => setMoving(null)} title="Change plan">
        {moving && (
          <ChangePlanForm subscription={moving} plans={plans.data ?? []} onDone={() => setMoving(null)} />
        )}
      </Dialog>
    </Section>
  );
}

function SubscribeForm({ app, plans, onDone }: { app: Application; plans: Plan[]; onDone: () => void }) {
  const client = useQueryClient();
  const productName = useNames('/products');
  const [planId, setPlanId] = useState('');
  const [approveNow, setApproveNow] = useState(false);
  const plan = plans.find((p) => p.id === planId);
  const open = plans.filter((p) => p.state !== 'closed');
  const products = [...new Set(open.map((p) => p.productId))];
  const create = useMutation({
    mutationFn: () =>
      api.post<Subscription>('/subscriptions', {
        applicationId: app.id,
        planId,
        ...(approveNow && plan?.approval === 'manual' ? { state: 'active' } : {}),
      }),
    onSuccess: async () => {
      await refreshAll(client);
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <NativeSelect
          label="Plan"
          required
          data={[
            { value: '', label: 'Choose a plan', disabled: true },
            ...products.map((productId) => ({
              group: productName(productId),
              items: open
                .filter((p) => p.productId === productId)
                .map((p) => ({ value: p.id, label: p.name })),
            })),
          ]}
          value={planId}
          onChange={(e) => setPlanId(e.currentTarget.value)}
          data-autofocus
        />
        {plan?.approval === 'manual' && (
          <Checkbox
            label="Approve it now"
            description="The plan needs approval; without this, the subscription waits on the Approvals page."
            checked={approveNow}
            onChange={(e) => setApproveNow(e.currentTarget.checked)}
          />
        )}
        <FormError error={create.error} />
        <FormActions submit="Subscribe" busy={create.isPending} onCancel={onDone} disabled={planId === ''} />
      </Stack>
    </form>
  );
}

function ChangePlanForm({
  subscription,
  plans,
  onDone,
}: {
  subscription: Subscription;
  plans: Plan[];
  onDone: () => void;
}) {
  const client = useQueryClient();
  const current = plans.find((p) => p.id === subscription.planId);
  const choices = plans.filter(
    (p) => p.productId === current?.productId && p.id !== subscription.planId && p.state === 'published',
  );
  const [planId, setPlanId] = useState('');
  const move = useMutation({
    mutationFn: () => api.patch(paths.subscription(subscription.id), { planId }),
    onSuccess: async () => {
      await refreshAll(client);
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    move.mutate();
  };
  if (choices.length === 0)
    return (
      <Stack>
        <Text size="sm">The product has no other published plan to move to.</Text>
        <Group justify="flex-end">
          <Button onClick={onDone}>Close</Button>
        </Group>
      </Stack>
    );
  return (
    <form onSubmit={submit}>
      <Stack>
        <Text size="sm">
          From {current?.name ?? subscription.planId}, at once. What it used in the current windows counts
          against the new plan's limits.
        </Text>
        <NativeSelect
          label="New plan"
          required
          data={[
            { value: '', label: 'Choose a plan', disabled: true },
            ...choices.map((p) => ({ value: p.id, label: p.name })),
          ]}
          value={planId}
          onChange={(e) => setPlanId(e.currentTarget.value)}
          data-autofocus
        />
        <FormError error={move.error} />
        <FormActions submit="Change plan" busy={move.isPending} onCancel={onDone} disabled={planId === ''} />
      </Stack>
    </form>
  );
}
