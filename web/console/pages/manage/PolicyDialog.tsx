// Add or change a policy: which one, where it applies, whether it is on, and its config in a
// form made from the policy type's JSON Schema (GET /admin/v1/policy-types).
import { Alert, NativeSelect, Stack, Switch, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { Dialog } from '../../../ui/Dialog.tsx';
import { FormError, LoadingState } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { FormActions } from './parts.tsx';
import { type Policy, type PolicyType, paths, type Route, refreshAll, usePolicyTypes } from './resources.ts';
import { SchemaField, SchemaFields } from './SchemaForm.tsx';
import { configOf, type FormValue, type FormValues, formOf, initialValue } from './schema-form.ts';

/** Where new policies go: everywhere, or an API (as a whole, or one of its routes). */
export type PolicyScope = { kind: 'global' } | { kind: 'api'; apiId: string; routes: Route[] };

export function PolicyDialog({
  opened,
  onClose,
  scope,
  policy,
  title,
}: {
  opened: boolean;
  onClose: () => void;
  scope: PolicyScope;
  /** The policy to change; none to add one. */
  policy: Policy | undefined;
  title: string;
}) {
  const types = usePolicyTypes();
  return (
    <Dialog opened={opened} onClose={onClose} title={title} size="xl">
      {types.isError ? (
        <FormError error={types.error} />
      ) : types.data === undefined ? (
        <LoadingState label="Loading the policy types…" />
      ) : (
        opened && (
          <PolicyForm
            key={policy?.id ?? 'new'}
            types={types.data}
            scope={scope}
            policy={policy}
            onDone={onClose}
          />
        )
      )}
    </Dialog>
  );
}

function PolicyForm({
  types,
  scope,
  policy,
  onDone,
}: {
  types: PolicyType[];
  scope: PolicyScope;
  policy: Policy | undefined;
  onDone: () => void;
}) {
  const client = useQueryClient();
  const [name, setName] = useState(policy?.name ?? '');
  const [routeId, setRouteId] = useState('');
  const [enabled, setEnabled] = useState(policy?.enabled ?? true);
  const type = types.find((t) => t.name === name);
  // An unknown policy (from a newer gateway) still edits, as JSON.
  const form = useMemo(() => formOf(type?.configSchema ?? {}), [type]);
  const [values, setValues] = useState<FormValue>(() => initialValue(form, policy?.config));
  const [errors, setErrors] = useState(new Map<string, string>());

  const choose = (next: string) => {
    setName(next);
    const nextType = types.find((t) => t.name === next);
    setValues(initialValue(formOf(nextType?.configSchema ?? {}), undefined));
    setErrors(new Map());
  };

  const save = useMutation({
    mutationFn: (config: Record<string, unknown>) => {
      if (policy) return api.patch<Policy>(paths.policy(policy.id), { enabled, config });
      const where =
        scope.kind === 'global'
          ? {}
          : routeId === ''
            ? { apiId: scope.apiId }
            : { apiId: scope.apiId, routeId };
      return api.post<Policy>('/policies', { name, ...where, enabled, config });
    },
    onSuccess: async () => {
      await refreshAll(client);
      onDone();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = configOf(form, values);
    if (!result.ok) {
      setErrors(new Map(result.errors.map((e) => [e.path, e.message])));
      return;
    }
    setErrors(new Map());
    save.mutate(result.config);
  };

  return (
    <form onSubmit={submit}>
      <Stack>
        {policy ? (
          <Text size="sm">
            {type?.description ?? `The gateway does not describe the ${policy.name} policy.`}
          </Text>
        ) : (
          <NativeSelect
            label="Policy"
            description={type ? `${type.description} Runs in the ${type.phase} phase.` : undefined}
            required
            data={[
              { value: '', label: 'Choose a policy', disabled: true },
              ...types.map((t) => ({ value: t.name, label: t.name })),
            ]}
            value={name}
            onChange={(e) => choose(e.currentTarget.value)}
            data-autofocus
          />
        )}
        {!policy && scope.kind === 'api' && (
          <NativeSelect
            label="Applies to"
            description="A route's policy replaces the API's policy of the same name on that route."
            data={[
              { value: '', label: 'The whole API' },
              ...scope.routes.map((r) => ({ value: r.id, label: `Route ${r.name}` })),
            ]}
            value={routeId}
            onChange={(e) => setRouteId(e.currentTarget.value)}
          />
        )}
        <Switch
          label="Enabled"
          description="Off: the policy does nothing here, and switches off one of the same name set more broadly."
          checked={enabled}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
        />
        {(type || policy) &&
          (form.kind === 'object' ? (
            form.fields.length === 0 ? (
              <Text size="sm" c="dimmed">
                This policy has no settings.
              </Text>
            ) : (
              <SchemaFields
                fields={form.fields}
                values={values as FormValues}
                onChange={setValues}
                errors={errors}
              />
            )
          ) : (
            <SchemaField field={form} value={values} onChange={setValues} errors={errors} path="" />
          ))}
        {errors.size > 0 && (
          <Alert color="red" role="alert" title="Check the marked fields" style={{ whiteSpace: 'pre-line' }}>
            {[...errors].map(([path, message]) => `${path || 'config'}: ${message}`).join('\n')}
          </Alert>
        )}
        <FormError error={save.error} />
        <FormActions
          submit={policy ? 'Save policy' : 'Add policy'}
          busy={save.isPending}
          onCancel={onDone}
          disabled={!policy && name === ''}
        />
      </Stack>
    </form>
  );
}
