// Sign-up fields: the extra questions the portal asks for accounts and developers at sign-up,
// and for applications, one list per target.
import { Button, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { DataTable } from '../../../ui/DataTable.tsx';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { Empty, QueryView } from '../../../ui/states.tsx';
import { api, useAdminList } from '../../api.ts';
import { product } from '../../session.tsx';
import { AccountApproval } from './AccountApproval.tsx';
import { FieldDialog } from './FieldDialog.tsx';
import { type FieldTarget, fieldsKey, fieldTargets, paths, type SignUpField } from './portal.ts';

/** What the dialog edits: a new field of a target, or an existing one. */
type Editing = { target: FieldTarget; field?: SignUpField } | null;

export function Fields() {
  usePageTitle('Sign-up fields', product);
  const fields = useAdminList<SignUpField>(paths.fields);
  const [editing, setEditing] = useState<Editing>(null);
  return (
    <>
      <PageHeader
        title="Sign-up fields"
        description="Extra questions the portal asks, beyond name and e-mail. Developers see them at sign-up and on their applications."
      />
      <AccountApproval />
      <QueryView query={fields} loadingLabel="Loading sign-up fields…">
        {(all) => (
          <Stack gap="xl">
            {fieldTargets.map((target) => (
              <TargetFields
                key={target.value}
                target={target}
                fields={all
                  .filter((f) => f.target === target.value)
                  .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name))}
                onAdd={() => setEditing({ target: target.value })}
                onEdit={(field) => setEditing({ target: target.value, field })}
              />
            ))}
          </Stack>
        )}
      </QueryView>
      {editing && (
        <FieldDialog
          key={editing.field?.id ?? editing.target}
          target={editing.target}
          {...(editing.field ? { field: editing.field } : {})}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

function TargetFields({
  target,
  fields,
  onAdd,
  onEdit,
}: {
  target: (typeof fieldTargets)[number];
  fields: SignUpField[];
  onAdd: () => void;
  onEdit: (field: SignUpField) => void;
}) {
  const client = useQueryClient();
  const what = target.title.toLowerCase();
  const remove = async (field: SignUpField) => {
    await api.delete(paths.field(field.id));
    await client.invalidateQueries({ queryKey: fieldsKey });
  };
  const headingId = `fields-${target.value}`;
  return (
    <section aria-labelledby={headingId}>
      <Group justify="space-between" align="flex-end" mb="sm">
        <div>
          <Title order={2} fz="xl" id={headingId}>
            {target.title}
          </Title>
          <Text size="sm" c="dimmed">
            {target.description}
          </Text>
        </div>
        <Button variant="default" onClick={onAdd}>
          Add {what} field
        </Button>
      </Group>
      {fields.length === 0 ? (
        <Empty
          title={`No ${what} fields`}
          description={`Add one to ask developers for more about each ${what}.`}
        />
      ) : (
        <DataTable
          caption={`${target.title} fields`}
          minWidth={720}
          items={fields}
          columns={[
            { header: 'Label', cell: (f) => f.label },
            { header: 'Name', cell: (f) => <Code>{f.name}</Code> },
            {
              header: 'Type',
              cell: (f) => (f.type === 'choice' ? `Choice: ${f.choices.join(', ')}` : 'Text'),
            },
            { header: 'Required', cell: (f) => (f.required ? 'yes' : 'no') },
            { header: 'Order', cell: (f) => f.order, align: 'right' },
            {
              header: 'Actions',
              cell: (f) => (
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button
                    variant="default"
                    size="xs"
                    onClick={() => onEdit(f)}
                    aria-label={`Edit ${what} field ${f.label}`}
                  >
                    Edit
                  </Button>
                  <ConfirmButton
                    title={`Delete the ${what} field ${f.label}?`}
                    message={`The portal stops asking for it, and the values already given on each ${what} are deleted. This cannot be undone.`}
                    confirmLabel="Delete field"
                    onConfirm={() => remove(f)}
                    ariaLabel={`Delete ${what} field ${f.label}`}
                  >
                    Delete
                  </ConfirmButton>
                </Group>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}
