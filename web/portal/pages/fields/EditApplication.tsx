// Change an application's name, description and the provider's extra fields, in a dialog from
// the application's page; and those fields' values shown there.
import { Button, Group, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../../ui/Dialog.tsx';
import { FormError } from '../../../ui/states.tsx';
import { type Application, api, paths } from '../../api.ts';
import {
  FieldInputs,
  type FieldValues,
  FieldValuesTable,
  fieldErrors,
  filledValues,
  useFields,
} from './customFields.tsx';

/** An application as the portal API answers it, with the values of the extra fields. */
export type ApplicationWithFields = Application & { customFields?: FieldValues };

export function ApplicationFields({ app }: { app: ApplicationWithFields }) {
  const fields = useFields('application');
  return <FieldValuesTable fields={fields} values={app.customFields} caption="Details" />;
}

export function EditApplication({ app }: { app: ApplicationWithFields }) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button variant="default" size="xs" onClick={() => setOpened(true)}>
        Edit application
      </Button>
      {opened && <EditDialog app={app} onClose={() => setOpened(false)} />}
    </>
  );
}

function EditDialog({ app, onClose }: { app: ApplicationWithFields; onClose: () => void }) {
  const client = useQueryClient();
  const fields = useFields('application');
  const [name, setName] = useState(app.name);
  const [description, setDescription] = useState(app.description ?? '');
  const [values, setValues] = useState<FieldValues>(app.customFields ?? {});
  const save = useMutation({
    mutationFn: () =>
      api.patch<ApplicationWithFields>(paths.application(app.id), {
        name: name.trim(),
        description: description.trim(),
        customFields: filledValues(values),
      }),
    onSuccess: async (saved) => {
      client.setQueryData(['applications', app.id], saved);
      await client.invalidateQueries({ queryKey: ['applications'] });
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Dialog opened onClose={() => !save.isPending && onClose()} title={`Edit ${app.name}`}>
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
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <FieldInputs
            fields={fields}
            values={values}
            onChange={setValues}
            errors={fieldErrors(save.error, 'customFields')}
          />
          <FormError error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={save.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save application
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
