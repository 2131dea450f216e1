// What a rule watches: any API or one (and one of its routes), any account or one (and one of its
// applications), any plan or one. Quota rules watch subscriptions, so they have no API or route.
import { Fieldset, NativeSelect, SimpleGrid, Text } from '@mantine/core';
import { type Account, type Api, type Application, type Plan, useAdminList, useNames } from '../../api.ts';
import type { Draft } from './draft.ts';

const any = (what: string) => ({ value: '', label: `Any ${what}` });

function Picker({
  label,
  items,
  value,
  onChange,
  what,
}: {
  label: string;
  items: { value: string; label: string }[] | undefined;
  value: string;
  onChange: (value: string) => void;
  what: string;
}) {
  // A scope naming something not in the first pages is still shown, by its id.
  const data = [any(what), ...(items ?? [])];
  if (value && !data.some((d) => d.value === value)) data.push({ value, label: value });
  return (
    <NativeSelect label={label} data={data} value={value} onChange={(e) => onChange(e.currentTarget.value)} />
  );
}

function RoutePicker({
  apiId,
  value,
  onChange,
}: {
  apiId: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const routes = useAdminList<{ id: string; name: string; path: string }>(
    `/apis/${encodeURIComponent(apiId)}/routes`,
  );
  return (
    <Picker
      label="Route"
      what="route"
      items={routes.data?.map((r) => ({ value: r.id, label: `${r.name} (${r.path})` }))}
      value={value}
      onChange={onChange}
    />
  );
}

function ApplicationPicker({
  accountId,
  value,
  onChange,
}: {
  accountId: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const applications = useAdminList<Application>('/applications', { accountId });
  return (
    <Picker
      label="Application"
      what="application"
      items={applications.data?.map((a) => ({ value: a.id, label: a.name }))}
      value={value}
      onChange={onChange}
    />
  );
}

export function ScopeFields({ draft, change }: { draft: Draft; change: (next: Partial<Draft>) => void }) {
  const apis = useAdminList<Api>('/apis');
  const accounts = useAdminList<Account>('/accounts');
  const plans = useAdminList<Plan>('/plans');
  const productName = useNames('/products');
  const quota = draft.kind === 'quota';
  return (
    <Fieldset legend="Scope">
      <Text size="sm" c="dimmed" mb="sm">
        {quota
          ? 'Which subscriptions the rule watches; each is judged on its own.'
          : 'Which calls the rule counts; all of them when nothing is chosen.'}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {!quota && (
          <Picker
            label="API"
            what="API"
            items={apis.data?.map((a) => ({ value: a.id, label: a.name }))}
            value={draft.apiId}
            onChange={(apiId) => change({ apiId, routeId: '' })}
          />
        )}
        {!quota &&
          (draft.apiId ? (
            <RoutePicker
              apiId={draft.apiId}
              value={draft.routeId}
              onChange={(routeId) => change({ routeId })}
            />
          ) : (
            <NativeSelect label="Route" data={[any('route')]} disabled description="Choose an API first." />
          ))}
        <Picker
          label="Account"
          what="account"
          items={accounts.data?.map((a) => ({ value: a.id, label: a.name }))}
          value={draft.accountId}
          onChange={(accountId) => change({ accountId, applicationId: '' })}
        />
        {draft.accountId ? (
          <ApplicationPicker
            accountId={draft.accountId}
            value={draft.applicationId}
            onChange={(applicationId) => change({ applicationId })}
          />
        ) : (
          <NativeSelect
            label="Application"
            data={[any('application')]}
            disabled
            description="Choose an account first."
          />
        )}
        <Picker
          label="Plan"
          what="plan"
          items={plans.data?.map((p) => ({ value: p.id, label: `${productName(p.productId)} / ${p.name}` }))}
          value={draft.planId}
          onChange={(planId) => change({ planId })}
        />
      </SimpleGrid>
    </Fieldset>
  );
}
