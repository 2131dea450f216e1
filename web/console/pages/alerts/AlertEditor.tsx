// Create or change an alert rule: what it watches (kind, threshold, window, scope), where it
// says so (webhooks with their secrets, addresses), and, for an existing rule, its test and its
// history. `/alerts/new` creates, `/alerts/:alertId` edits. Secrets are write-only: a stored one
// is kept unless a new one is typed.
import {
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
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { FormError, QueryView } from '../../../ui/states.tsx';
import { type AlertKind, type AlertRule, api } from '../../api.ts';
import { product } from '../../session.tsx';
import { Crumbs, FormActions, Section } from '../manage/parts.tsx';
import { AlertHistory } from './AlertHistory.tsx';
import { RuleState } from './Alerts.tsx';
import { kinds, paths } from './alerts.ts';
import { ChannelFields } from './ChannelFields.tsx';
import { bodyOf, type Draft, draftOf, isShare } from './draft.ts';
import { ScopeFields } from './ScopeFields.tsx';
import { TestButton } from './TestButton.tsx';

export function NewAlert() {
  usePageTitle('New alert rule', product);
  return (
    <>
      <PageHeader
        before={<Crumbs list="Alerts" to="/alerts" current="New" />}
        title="New alert rule"
        description="What to watch, and where to say so when it starts and stops."
      />
      <AlertForm />
    </>
  );
}

export function EditAlert() {
  const { alertId = '' } = useParams();
  const client = useQueryClient();
  const navigate = useNavigate();
  const rule = useQuery({
    queryKey: ['admin', paths.rules, alertId],
    queryFn: () => api.get<AlertRule>(paths.rule(alertId)),
  });
  usePageTitle(rule.data ? `Alert ${rule.data.name}` : 'Alert rule', product);
  return (
    <QueryView query={rule} loadingLabel="Loading the rule…">
      {(r) => (
        <Stack gap="xl">
          <div>
            <PageHeader
              before={<Crumbs list="Alerts" to="/alerts" current={r.name} />}
              title={
                <Group gap="sm" component="span">
                  {`Alert ${r.name}`} <RuleState rule={r} />
                </Group>
              }
              actions={
                <>
                  <TestButton rule={r} size="sm" />
                  <ConfirmButton
                    title={`Delete ${r.name}?`}
                    message="It stops being evaluated. Its history stays."
                    confirmLabel="Delete rule"
                    buttonProps={{ size: 'sm' }}
                    onConfirm={async () => {
                      await api.delete(paths.rule(r.id));
                      await client.invalidateQueries({ queryKey: ['admin', paths.rules] });
                      navigate('/alerts');
                    }}
                  >
                    Delete
                  </ConfirmButton>
                </>
              }
            />
            <AlertForm key={r.updatedAt} rule={r} />
          </div>
          <Section
            title="History"
            description="When this rule fired and resolved, and what its notifications answered."
          >
            <AlertHistory rule={r.id} />
          </Section>
        </Stack>
      )}
    </QueryView>
  );
}

function AlertForm({ rule }: { rule?: AlertRule }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(() => draftOf(rule));
  const save = useMutation({
    mutationFn: () =>
      rule
        ? api.patch<AlertRule>(paths.rule(rule.id), bodyOf(draft, true))
        : api.post<AlertRule>(paths.rules, bodyOf(draft, false)),
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['admin', paths.rules] });
      navigate(rule ? '/alerts' : paths.rule(saved.id));
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
  const kind = draft.kind;

  return (
    <form onSubmit={submit}>
      <Stack gap="lg" maw={900}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Name"
            description="Unique; what notifications call the rule."
            required
            maxLength={100}
            value={draft.name}
            onChange={(e) => change({ name: e.currentTarget.value })}
          />
          <NativeSelect
            label="Kind"
            description={kinds.find((k) => k.value === kind)?.description}
            data={kinds.map((k) => ({ value: k.value, label: k.label }))}
            value={kind}
            onChange={(e) => {
              const next = e.currentTarget.value as AlertKind;
              // A threshold means something else in another kind: start it afresh.
              change({ kind: next, threshold: isShare(next) === isShare(kind) ? draft.threshold : '' });
            }}
          />
        </SimpleGrid>
        <Textarea
          label="Description"
          autosize
          minRows={2}
          maxLength={2000}
          value={draft.description}
          onChange={(e) => change({ description: e.currentTarget.value })}
        />
        <Switch
          label="Enabled"
          description="Disabled rules are not evaluated and forget where they stood."
          checked={draft.enabled}
          onChange={(e) => change({ enabled: e.currentTarget.checked })}
        />
        <Fieldset legend="Condition">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput
              label={
                kind === 'latency'
                  ? 'Threshold (ms)'
                  : kind === 'traffic-drop'
                    ? 'Below % of last week'
                    : 'Threshold (%)'
              }
              description={
                kind === 'error-rate'
                  ? 'Fires at or above this share of failed calls.'
                  : kind === 'latency'
                    ? 'Fires when the percentile reaches it.'
                    : kind === 'quota'
                      ? 'Fires when a subscription has used this share of a limit.'
                      : 'Fires when calls fall under this share of the same window a week earlier; blank: not used.'
              }
              required={kind !== 'traffic-drop'}
              min={0}
              max={kind === 'latency' ? 3_600_000 : 100}
              decimalScale={3}
              value={draft.threshold}
              onChange={(value) => change({ threshold: value })}
            />
            {kind !== 'quota' && (
              <NumberInput
                label="Window (minutes)"
                description="The last minutes measured, 1–1440."
                min={1}
                max={1440}
                allowDecimal={false}
                value={draft.windowMinutes}
                onChange={(value) => change({ windowMinutes: value })}
              />
            )}
            {kind === 'error-rate' && (
              <NativeSelect
                label="Failed calls"
                description="What counts as a failure."
                data={[
                  { value: '5xx', label: '5xx (server errors)' },
                  { value: 'errors', label: '4xx and 5xx' },
                ]}
                value={draft.statusClass}
                onChange={(e) => change({ statusClass: e.currentTarget.value as Draft['statusClass'] })}
              />
            )}
            {kind === 'latency' && (
              <NativeSelect
                label="Percentile"
                description="p95: 95 % of calls were faster."
                data={['p50', 'p95', 'p99']}
                value={draft.percentile}
                onChange={(e) => change({ percentile: e.currentTarget.value as Draft['percentile'] })}
              />
            )}
            {(kind === 'error-rate' || kind === 'latency') && (
              <NumberInput
                label="Minimum calls"
                description="Fewer calls in the window count as fine."
                min={1}
                allowDecimal={false}
                value={draft.minRequests}
                onChange={(value) => change({ minRequests: value })}
              />
            )}
            {kind === 'traffic-drop' && (
              <NumberInput
                label="Or fewer calls than"
                description="An absolute minimum for the window; blank: not used."
                min={1}
                allowDecimal={false}
                value={draft.absoluteMinimum}
                onChange={(value) => change({ absoluteMinimum: value })}
              />
            )}
            <NumberInput
              label="Remind every (minutes)"
              description="While still firing; blank: notify once."
              min={5}
              max={10_080}
              allowDecimal={false}
              value={draft.repeatMinutes}
              onChange={(value) => change({ repeatMinutes: value })}
            />
          </SimpleGrid>
        </Fieldset>
        <ScopeFields draft={draft} change={change} />
        <ChannelFields draft={draft} change={change} />
        <FormError error={save.error} />
        <FormActions submit={rule ? 'Save rule' : 'Create rule'} busy={save.isPending} cancelTo="/alerts" />
      </Stack>
    </form>
  );
}
