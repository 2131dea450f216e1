// Register an application; its page follows, where keys and plans are added.
import { Anchor, Breadcrumbs, Button, Group, Paper, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { FormError } from '../../../ui/states.tsx';
import { type Application, api } from '../../api.ts';
import { product } from '../../session.tsx';
import {
  FieldInputs,
  type FieldValues,
  fieldErrors,
  filledValues,
  useFields,
} from '../fields/customFields.tsx';
import { applicationsKey } from './Applications.tsx';

export function NewApplication() {
  usePageTitle('Create application', product);
  const navigate = useNavigate();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const fields = useFields('application');
  const [customFields, setCustomFields] = useState<FieldValues>({});
  const create = useMutation({
    mutationFn: () =>
      api.post<Application>('/applications', {
        name: name.trim(),
        ...(description.trim() === '' ? {} : { description: description.trim() }),
        customFields: filledValues(customFields),
      }),
    onSuccess: (app) => {
      void client.invalidateQueries({ queryKey: applicationsKey });
      navigate(`/applications/${encodeURIComponent(app.id)}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <>
      <PageHeader
        before={
          <Breadcrumbs aria-label="Breadcrumb">
            <Anchor component={Link} to="/applications" size="sm">
              Applications
            </Anchor>
            <Text size="sm">New</Text>
          </Breadcrumbs>
        }
        title="Create application"
        description="Name it after the program or service that will call the APIs."
      />
      <Paper withBorder p="lg" maw={560}>
        <form onSubmit={submit}>
          <Stack>
            <TextInput
              label="Name"
              description="Letters, digits, dots, dashes and underscores; unique in your organization."
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-autofocus
            />
            <Textarea
              label="Description"
              description="Optional. What the application does, for your teammates."
              autosize
              minRows={2}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            <FieldInputs
              fields={fields}
              values={customFields}
              onChange={setCustomFields}
              errors={fieldErrors(create.error, 'customFields')}
            />
            <FormError error={create.error} />
            <Group justify="flex-end">
              <Button component={Link} to="/applications" variant="default">
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create application
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </>
  );
}
