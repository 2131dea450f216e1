// Create an API by hand; its routes, policies and documentation follow on its page.
import { Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { segment } from '../../../ui/api.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { FormError } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { product } from '../../session.tsx';
import { ApiFieldsInputs, apiBodyOf, newApiFields } from './ApiFields.tsx';
import { Crumbs, FormActions } from './parts.tsx';
import { type ApiDetail, refreshAll } from './resources.ts';

export function NewApi() {
  usePageTitle('Create an API', product);
  const [fields, setFields] = useState(newApiFields);
  const client = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: () => api.post<ApiDetail>('/apis', apiBodyOf(fields)),
    onSuccess: async (created) => {
      await refreshAll(client);
      navigate(`/apis/${segment(created.id)}/routes`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <>
      <PageHeader
        before={<Crumbs list="APIs" to="/apis" current="New API" />}
        title="Create an API"
        description="Then give it routes: an API without routes serves nothing."
      />
      <form onSubmit={submit}>
        <Stack gap="lg" maw={760}>
          <ApiFieldsInputs value={fields} onChange={setFields} />
          <FormError error={create.error} />
          <FormActions submit="Create API" busy={create.isPending} cancelTo="/apis" />
        </Stack>
      </form>
    </>
  );
}
