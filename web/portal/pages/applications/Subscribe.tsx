// Subscribe the application to a plan, chosen from the products and what each plan costs and allows.
import { Alert, Anchor, Button, Card, Group, Radio, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Empty, ErrorAlert, FormError, LoadingState } from '../../../ui/states.tsx';
import { api, openStates, type Product, paths, type Subscription } from '../../api.ts';
import { PlanBadges, PlanLimits, PlanPrice } from '../catalog/PlanSummary.tsx';
import { useApplication } from './ApplicationPage.tsx';
import { type SubscribedNotice, subscriptionsKey, useProducts, useSubscriptions } from './Subscriptions.tsx';

export function Subscribe() {
  const app = useApplication();
  const navigate = useNavigate();
  const client = useQueryClient();
  const products = useProducts();
  const subscriptions = useSubscriptions(app.id);
  const [planId, setPlanId] = useState('');
  const back = `/applications/${encodeURIComponent(app.id)}/subscriptions`;

  const subscribe = useMutation({
    mutationFn: () => api.post<Subscription>(paths.subscriptions(app.id), { planId }),
    onSuccess: async (created) => {
      await client.invalidateQueries({ queryKey: subscriptionsKey(app.id) });
      const chosen = findPlan(products.data?.data ?? [], planId);
      const notice: SubscribedNotice = {
        subscribed: {
          plan: created.plan?.name ?? chosen?.plan.name ?? planId,
          product: created.product?.name ?? chosen?.product.name ?? '',
          state: created.state,
        },
      };
      navigate(back, { state: notice });
    },
  });

  if (products.isPending || subscriptions.isPending) return <LoadingState label="Loading plans…" />;
  if (products.isError) return <ErrorAlert error={products.error} onRetry={() => void products.refetch()} />;
  if (subscriptions.isError) {
    return <ErrorAlert error={subscriptions.error} onRetry={() => void subscriptions.refetch()} />;
  }
  const offered = products.data.data.filter((p) => p.plans.length > 0);
  const holding = new Map(
    subscriptions.data.data.filter((s) => openStates.has(s.state)).map((s) => [s.product.id, s]),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (planId !== '') subscribe.mutate();
  };

  return (
    <section aria-labelledby="subscribe-title">
      <Title order={2} fz="xl" id="subscribe-title" mb="xs">
        Subscribe to a plan
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        One plan per product. Plans marked “needs approval” start pending until the provider approves them.
      </Text>
      {offered.length === 0 ? (
        <Empty title="No plans on offer yet" description="The provider has not published any plan yet." />
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <Radio.Group
              value={planId}
              onChange={setPlanId}
              label="Plan"
              description="Choose the plan the application should be on."
              required
            >
              <Stack gap="lg" mt="sm">
                {offered.map((p) => (
                  <ProductChoice key={p.id} item={p} current={holding.get(p.id)} back={back} />
                ))}
              </Stack>
            </Radio.Group>
            <FormError error={subscribe.error} />
            <Group justify="flex-end">
              <Button component={Link} to={back} variant="default">
                Cancel
              </Button>
              <Button type="submit" loading={subscribe.isPending} disabled={planId === ''}>
                Subscribe
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </section>
  );
}

function ProductChoice({
  item,
  current,
  back,
}: {
  item: Product;
  current: Subscription | undefined;
  back: string;
}) {
  return (
    <Card withBorder padding="md" radius="md">
      <Stack gap="sm">
        <Text fw={600} size="lg">
          {item.name}
        </Text>
        {item.apis.length > 0 && (
          <Text size="sm" c="dimmed">
            APIs: {item.apis.map((a) => a.name).join(', ')}
          </Text>
        )}
        {current && (
          <Alert color="gray" p="xs">
            <Text size="sm">
              Already on the {current.plan.name} plan ({current.state}).{' '}
              <Anchor component={Link} to={back}>
                Change plan
              </Anchor>{' '}
              from the subscriptions instead.
            </Text>
          </Alert>
        )}
        {item.plans.map((plan) => (
          <Radio
            key={plan.id}
            value={plan.id}
            disabled={current !== undefined}
            label={
              <Group gap="xs" component="span">
                <Text span fw={500}>
                  {plan.name}
                </Text>
                <PlanBadges plan={plan} />
              </Group>
            }
            description={
              <Stack gap={2} component="span">
                <PlanPrice plan={plan} />
                {plan.description && (
                  <Text span size="sm">
                    {plan.description}
                  </Text>
                )}
                <PlanLimits plan={plan} />
              </Stack>
            }
          />
        ))}
      </Stack>
    </Card>
  );
}

function findPlan(products: Product[], planId: string) {
  for (const product of products) {
    const plan = product.plans.find((p) => p.id === planId);
    if (plan) return { product, plan };
  }
  return undefined;
}
