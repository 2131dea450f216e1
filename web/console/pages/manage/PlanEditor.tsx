// Create or change a plan of a product: its state, visibility, approval, whether it is the
// default, its limits (metric, period, max, per), its disabled metrics and its pricing.
import {
  Button,
  Fieldset,
  Group,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { FormError, QueryView } from '../../../ui/states.tsx';
import { api, type Plan, type Product } from '../../api.ts';
import { product as consoleName } from '../../session.tsx';
import { PricingFieldset, pricingBody, pricingDraft } from './PlanPricing.tsx';
import { Crumbs, FormActions } from './parts.tsx';
import { forget, numberOf, paths, refreshAll, useAdminItem } from './resources.ts';

interface LimitRow {
  metric: string;
  period: string;
  max: number | string;
  per: string;
}

const periods = ['second', 'minute', 'hour', 'day', 'month', 'year', 'eternity'];

export function NewPlan() {
  const { productId = '' } = useParams();
  const item = useAdminItem<Product>(paths.product(productId));
  usePageTitle('Add a plan', consoleName);
  return (
    <QueryView query={item} loadingLabel="Loading the product…">
      {(p) => (
        <>
          <PageHeader
            before={<Crumbs list="Products and plans" to="/products" current={p.name} />}
            title={`Add a plan to ${p.name}`}
            description="The terms an application uses the product's APIs under."
          />
          <PlanForm productId={p.id} />
        </>
      )}
    </QueryView>
  );
}

export function PlanPage() {
  const { planId = '' } = useParams();
  const path = paths.plan(planId);
  const plan = useAdminItem<Plan>(path);
  const productId = plan.data?.productId;
  const product = useAdminItem<Product>(paths.product(productId ?? ''), productId !== undefined);
  const client = useQueryClient();
  const navigate = useNavigate();
  usePageTitle(plan.data?.name ?? 'Plan', consoleName);
  return (
    <QueryView query={plan} loadingLabel="Loading the plan…">
      {(p) => (
        <>
          <PageHeader
            before={
              <Crumbs list="Products and plans" to="/products" current={product.data?.name ?? p.productId} />
            }
            title={`Plan ${p.name}`}
            description={product.data ? `A plan of ${product.data.name}.` : undefined}
            actions={
              <ConfirmButton
                title={`Delete plan ${p.name}?`}
                message="A plan that has subscriptions, in any state, cannot be deleted: close it instead."
                confirmLabel="Delete plan"
                onConfirm={async () => {
                  await api.delete(path);
                  await forget(client, path);
                  navigate('/products');
                }}
              >
                Delete plan
              </ConfirmButton>
            }
          />
          <PlanForm key={p.id} productId={p.productId} plan={p} />
        </>
      )}
    </QueryView>
  );
}

function PlanForm({ productId, plan }: { productId: string; plan?: Plan }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState(plan?.name ?? '');
  const [description, setDescription] = useState(plan?.description ?? '');
  const [state, setState] = useState(plan?.state ?? 'published');
  const [visibility, setVisibility] = useState(plan?.visibility ?? 'public');
  const [approval, setApproval] = useState(plan?.approval ?? 'auto');
  const [isDefault, setDefault] = useState(plan?.default ?? false);
  const [limits, setLimits] = useState<LimitRow[]>(
    (plan?.limits ?? []).map((l) => ({ ...l, per: l.per ?? 'subscription' })),
  );
  const [disabledMetrics, setDisabledMetrics] = useState<string[]>(plan?.disabledMetrics ?? []);
  const [pricing, setPricing] = useState(() => pricingDraft(plan?.pricing));
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: name.trim(),
        description,
        state,
        visibility,
        approval,
        default: isDefault,
        limits: limits.map((l) => ({
          metric: l.metric.trim(),
          period: l.period,
          max: numberOf(l.max),
          per: l.per,
        })),
        disabledMetrics,
        pricing: pricingBody(pricing),
      };
      return plan ? api.patch(paths.plan(plan.id), body) : api.post('/plans', { productId, ...body });
    },
    onSuccess: async () => {
      await refreshAll(client);
      navigate('/products');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const setLimit = (index: number, change: Partial<LimitRow>) =>
    setLimits(limits.map((l, i) => (i === index ? { ...l, ...change } : l)));

  return (
    <form onSubmit={submit}>
      <Stack gap="lg" maw={860}>
        <TextInput
          label="Name"
          description="Unique within the product."
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <Textarea
          label="Description"
          autosize
          minRows={2}
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect
            label="State"
            description="A closed plan takes no new subscriptions."
            data={['staging', 'published', 'deprecated', 'closed']}
            value={state}
            onChange={(e) => setState(e.currentTarget.value)}
          />
          <NativeSelect
            label="Visibility"
            description="Hidden plans are not offered in the portal."
            data={['public', 'hidden']}
            value={visibility}
            onChange={(e) => setVisibility(e.currentTarget.value)}
          />
          <NativeSelect
            label="Approval"
            description="Manual: new subscriptions wait for you."
            data={[
              { value: 'auto', label: 'auto' },
              { value: 'manual', label: 'manual' },
            ]}
            value={approval}
            onChange={(e) => setApproval(e.currentTarget.value)}
          />
        </SimpleGrid>
        <Switch
          label="Default plan"
          description="The plan new applications get; the product's other plans stop being the default."
          checked={isDefault}
          onChange={(e) => setDefault(e.currentTarget.checked)}
        />
        <Fieldset legend="Limits">
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              Units per period of a metric (hits counts every call). At most one limit per metric, period and
              per.
            </Text>
            {limits.length === 0 && <Text size="sm">No limits: calls are unlimited.</Text>}
            {limits.map((limit, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position
              <Group key={index} align="flex-end" gap="sm" wrap="nowrap">
                <TextInput
                  label={`Metric of limit ${index + 1}`}
                  required
                  style={{ flex: 1 }}
                  value={limit.metric}
                  onChange={(e) => setLimit(index, { metric: e.currentTarget.value })}
                />
                <NativeSelect
                  label={`Period of limit ${index + 1}`}
                  data={periods}
                  value={limit.period}
                  onChange={(e) => setLimit(index, { period: e.currentTarget.value })}
                />
                <NumberInput
                  label={`Max of limit ${index + 1}`}
                  required
                  min={0}
                  allowDecimal={false}
                  thousandSeparator=","
                  w={160}
                  value={limit.max}
                  onChange={(max) => setLimit(index, { max })}
                />
                <NativeSelect
                  label={`Per of limit ${index + 1}`}
                  data={[
                    { value: 'subscription', label: 'subscription' },
                    { value: 'end-user', label: 'end user' },
                  ]}
                  value={limit.per}
                  onChange={(e) => setLimit(index, { per: e.currentTarget.value })}
                />
                <Button
                  variant="default"
                  aria-label={`Remove limit ${index + 1}`}
                  onClick={() => setLimits(limits.filter((_, i) => i !== index))}
                >
                  Remove
                </Button>
              </Group>
            ))}
            <Group>
              <Button
                variant="default"
                onClick={() =>
                  setLimits([...limits, { metric: 'hits', period: 'month', max: '', per: 'subscription' }])
                }
                disabled={limits.length >= 200}
              >
                Add limit
              </Button>
            </Group>
          </Stack>
        </Fieldset>
        <TagsInput
          label="Disabled metrics"
          description="Calls that count towards one of these are refused. Press Enter after each."
          value={disabledMetrics}
          onChange={setDisabledMetrics}
        />
        <PricingFieldset value={pricing} onChange={setPricing} />
        <FormError error={save.error} />
        <FormActions submit={plan ? 'Save plan' : 'Create plan'} busy={save.isPending} cancelTo="/products" />
      </Stack>
    </form>
  );
}
