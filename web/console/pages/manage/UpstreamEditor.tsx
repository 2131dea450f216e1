// Create or change an upstream: its targets with their weights, load balancing, health checks,
// timeouts and retries (docs/admin-api.md#upstreams), and delete it.
import {
  Button,
  Fieldset,
  Group,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { FormError, QueryView } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { product } from '../../session.tsx';
import { Crumbs, FormActions } from './parts.tsx';
import { forget, paths, refreshAll, type Upstream, useAdminItem } from './resources.ts';
import {
  type Num,
  newUpstreamFields,
  type UpstreamFields,
  upstreamBodyOf,
  upstreamFieldsOf,
} from './upstream-fields.ts';

export function NewUpstream() {
  usePageTitle('Create an upstream', product);
  return (
    <>
      <PageHeader
        before={<Crumbs list="Upstreams" to="/upstreams" current="New upstream" />}
        title="Create an upstream"
        description="The service an API sends its calls to."
      />
      <UpstreamForm initial={newUpstreamFields} />
    </>
  );
}

export function UpstreamPage() {
  const { upstreamId = '' } = useParams();
  const path = paths.upstream(upstreamId);
  const upstream = useAdminItem<Upstream>(path);
  const client = useQueryClient();
  const navigate = useNavigate();
  usePageTitle(upstream.data?.name ?? 'Upstream', product);
  return (
    <QueryView query={upstream} loadingLabel="Loading the upstream…">
      {(u) => (
        <>
          <PageHeader
            before={<Crumbs list="Upstreams" to="/upstreams" current={u.name} />}
            title={u.name}
            description={u.description || undefined}
            actions={
              <ConfirmButton
                title={`Delete ${u.name}?`}
                message="The upstream goes away. An upstream that an API still uses cannot be deleted."
                confirmLabel="Delete upstream"
                onConfirm={async () => {
                  await api.delete(path);
                  await forget(client, path);
                  navigate('/upstreams');
                }}
              >
                Delete upstream
              </ConfirmButton>
            }
          />
          <UpstreamForm key={u.id} initial={upstreamFieldsOf(u)} upstream={u} />
        </>
      )}
    </QueryView>
  );
}

function UpstreamForm({ initial, upstream }: { initial: UpstreamFields; upstream?: Upstream }) {
  const [form, setForm] = useState(initial);
  const client = useQueryClient();
  const navigate = useNavigate();
  const set = <K extends keyof UpstreamFields>(key: K, value: UpstreamFields[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const save = useMutation({
    mutationFn: () =>
      upstream
        ? api.patch<Upstream>(paths.upstream(upstream.id), upstreamBodyOf(form))
        : api.post<Upstream>('/upstreams', upstreamBodyOf(form)),
    onSuccess: async () => {
      await refreshAll(client);
      navigate('/upstreams');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const setTarget = (index: number, change: Partial<UpstreamFields['targets'][number]>) =>
    set(
      'targets',
      form.targets.map((t, i) => (i === index ? { ...t, ...change } : t)),
    );
  const number = (
    key: keyof UpstreamFields,
    label: string,
    min: number,
    max: number,
    description?: string,
  ) => (
    <NumberInput
      label={label}
      description={description}
      min={min}
      max={max}
      allowDecimal={false}
      value={form[key] as Num}
      onChange={(value) => set(key, value)}
    />
  );

  return (
    <form onSubmit={submit}>
      <Stack gap="lg" maw={760}>
        <TextInput
          label="Name"
          description="Letters, digits, “.”, “_” and “-”; unique among upstreams."
          required
          value={form.name}
          onChange={(e) => set('name', e.currentTarget.value)}
        />
        <Textarea
          label="Description"
          autosize
          minRows={2}
          value={form.description}
          onChange={(e) => set('description', e.currentTarget.value)}
        />
        <Fieldset legend="Targets">
          <Stack gap="sm">
            {form.targets.map((target, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position
              <Group key={index} align="flex-end" gap="sm" wrap="nowrap">
                <TextInput
                  label={`Target ${index + 1} URL`}
                  placeholder="http://orders.internal:8080"
                  required
                  style={{ flex: 1 }}
                  value={target.url}
                  onChange={(e) => setTarget(index, { url: e.currentTarget.value })}
                />
                <NumberInput
                  label={`Target ${index + 1} weight`}
                  min={0}
                  max={10000}
                  allowDecimal={false}
                  w={150}
                  value={target.weight}
                  onChange={(weight) => setTarget(index, { weight })}
                />
                <Button
                  variant="default"
                  aria-label={`Remove target ${index + 1}`}
                  disabled={form.targets.length === 1}
                  onClick={() =>
                    set(
                      'targets',
                      form.targets.filter((_, i) => i !== index),
                    )
                  }
                >
                  Remove
                </Button>
              </Group>
            ))}
            <Group>
              <Button
                variant="default"
                onClick={() => set('targets', [...form.targets, { url: '', weight: 100 }])}
                disabled={form.targets.length >= 100}
              >
                Add target
              </Button>
            </Group>
          </Stack>
        </Fieldset>
        <Fieldset legend="Load balancing">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect
              label="Algorithm"
              data={['round-robin', 'least-connections', 'consistent-hash']}
              value={form.algorithm}
              onChange={(e) => set('algorithm', e.currentTarget.value)}
            />
            {form.algorithm === 'consistent-hash' && (
              <NativeSelect
                label="Hash on"
                data={['client-ip', 'header', 'consumer']}
                value={form.hashOn}
                onChange={(e) => set('hashOn', e.currentTarget.value)}
              />
            )}
            {form.algorithm === 'consistent-hash' && form.hashOn === 'header' && (
              <TextInput
                label="Hash header"
                description="Lower case, such as x-tenant."
                required
                value={form.hashHeader}
                onChange={(e) => set('hashHeader', e.currentTarget.value)}
              />
            )}
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Health checks">
          <Stack gap="md">
            <Switch
              label="Active health checks"
              description="The gateway asks each target for a path at an interval."
              checked={form.active}
              onChange={(e) => set('active', e.currentTarget.checked)}
            />
            {form.active && (
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput
                  label="Health check path"
                  value={form.path}
                  onChange={(e) => set('path', e.currentTarget.value)}
                />
                {number('intervalMs', 'Interval (ms)', 500, 3_600_000)}
                {number('timeoutMs', 'Check timeout (ms)', 100, 600_000)}
                {number(
                  'healthyThreshold',
                  'Healthy threshold',
                  1,
                  100,
                  'Passed checks to be healthy again.',
                )}
                {number(
                  'unhealthyThreshold',
                  'Unhealthy threshold',
                  1,
                  100,
                  'Failed checks to be unhealthy.',
                )}
              </SimpleGrid>
            )}
            <Switch
              label="Circuit breaker"
              description="Passive checks: a target that fails calls in a row is left out for a while."
              checked={form.passive}
              onChange={(e) => set('passive', e.currentTarget.checked)}
            />
            {form.passive && (
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                {number('failures', 'Failures in a row', 1, 1000)}
                {number('ejectMs', 'Left out for (ms)', 100, 3_600_000)}
              </SimpleGrid>
            )}
          </Stack>
        </Fieldset>
        <Fieldset legend="Timeouts">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {number('connectMs', 'Connect timeout (ms)', 100, 600_000)}
            {number('responseMs', 'Response timeout (ms)', 100, 3_600_000)}
            {number('idleMs', 'Idle timeout (ms)', 100, 3_600_000)}
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Retries">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {number('attempts', 'Retry attempts', 0, 10, '0 turns retries off.')}
            {number('budgetPercent', 'Retry budget (%)', 0, 100)}
            {number('minPerSecond', 'Retries allowed per second anyway', 0, 10000)}
          </SimpleGrid>
        </Fieldset>
        <FormError error={save.error} />
        <FormActions
          submit={upstream ? 'Save upstream' : 'Create upstream'}
          busy={save.isPending}
          cancelTo="/upstreams"
        />
      </Stack>
    </form>
  );
}
