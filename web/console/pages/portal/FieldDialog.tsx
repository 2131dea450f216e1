// Add or change one sign-up field: its label, the name its values are kept under, text or a
// choice (one choice per line), whether it must be filled, and its place in the form.
import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../../ui/Dialog.tsx';
import { FormError } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { type FieldTarget, fieldsKey, paths, type SignUpField } from './portal.ts';

/** `Company size` → `company_size`: the name a label suggests. */
export function fieldNameFrom(label: string): string {
  return label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
}

export function FieldDialog({
  target,
  field,
  onClose,
}: {
  target: FieldTarget;
  field?: SignUpField;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [label, setLabel] = useState(field?.label ?? '');
  const [name, setName] = useState(field?.name ?? '');
  const [nameTouched, setNameTouched] = useState(field !== undefined);
  const [type, setType] = useState<SignUpField['type']>(field?.type ?? 'text');
  const [choices, setChoices] = useState((field?.choices ?? []).join('\n'));
  const [required, setRequired] = useState(field?.required ?? false);
  const [order, setOrder] = useState(field?.order ?? 0);

  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: name.trim(),
        label: label.trim(),
        type,
        // A text field takes no choices; becoming one clears them.
        ...(type === 'choice'
          ? {
              choices: choices
                .split('\n')
                .map((c) => c.trim())
                .filter((c) => c !== ''),
            }
          : {}),
        required,
        order,
      };
      return field
        ? api.patch<SignUpField>(paths.field(field.id), body)
        : api.post<SignUpField>(paths.fields, { target, ...body });
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: fieldsKey });
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <Dialog
      opened
      onClose={() => !save.isPending && onClose()}
      title={field ? `Edit ${target} field ${field.label}` : `New ${target} field`}
    >
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label="Label"
            description="What the form calls the field."
            required
            maxLength={100}
            value={label}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setLabel(value);
              if (!nameTouched) setName(fieldNameFrom(value));
            }}
            data-autofocus
          />
          <TextInput
            label="Name"
            description="Lowercase letters, digits and _: the key of the value in customFields."
            required
            maxLength={40}
            value={name}
            onChange={(e) => {
              setNameTouched(true);
              setName(e.currentTarget.value);
            }}
          />
          <NativeSelect
            label="Type"
            data={[
              { value: 'text', label: 'Text' },
              { value: 'choice', label: 'Choice' },
            ]}
            value={type}
            onChange={(e) => setType(e.currentTarget.value === 'choice' ? 'choice' : 'text')}
          />
          {type === 'choice' && (
            <Textarea
              label="Choices"
              description="One per line, up to 50."
              required
              autosize
              minRows={3}
              value={choices}
              onChange={(e) => setChoices(e.currentTarget.value)}
            />
          )}
          <Checkbox
            label="Required"
            description="Developers must fill it in."
            checked={required}
            onChange={(e) => setRequired(e.currentTarget.checked)}
          />
          <NumberInput
            label="Order"
            description="Lower comes first in the form."
            allowDecimal={false}
            value={order}
            onChange={(value) => setOrder(typeof value === 'number' ? value : 0)}
          />
          <FormError error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={save.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {field ? 'Save field' : 'Add field'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
