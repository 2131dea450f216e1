// Pieces the management pages share: the breadcrumb back to a list, a section with its h2, and
// a form's buttons.
import { Anchor, Breadcrumbs, Button, Group, Text, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';
import { Link, useNavigate } from 'react-router';

/** `APIs › weather`: the way back to the list above this page. */
export function Crumbs({ list, to, current }: { list: string; to: string; current: string }) {
  return (
    <Breadcrumbs aria-label="Breadcrumb">
      <Anchor component={Link} to={to} size="sm">
        {list}
      </Anchor>
      <Text size="sm">{current}</Text>
    </Breadcrumbs>
  );
}

/** A part of a page under its own h2, with actions beside the heading. */
export function Section({
  title,
  description,
  actions,
  children,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <Group justify="space-between" mb="sm" gap="sm">
        <Title order={2} fz="xl" id={id}>
          {title}
        </Title>
        {actions && <Group gap="xs">{actions}</Group>}
      </Group>
      {description && (
        <Text size="sm" c="dimmed" mb="md" component="div">
          {description}
        </Text>
      )}
      {children}
    </section>
  );
}

/** Submit and cancel; cancel goes back to `cancelTo`, or runs `onCancel` in a dialog. */
export function FormActions({
  submit,
  busy,
  cancelTo,
  onCancel,
  disabled,
}: {
  submit: string;
  busy: boolean;
  cancelTo?: string;
  onCancel?: () => void;
  disabled?: boolean;
}) {
  const navigate = useNavigate();
  return (
    <Group justify="flex-end">
      <Button
        variant="default"
        onClick={() => (onCancel ? onCancel() : cancelTo && navigate(cancelTo))}
        disabled={busy}
      >
        Cancel
      </Button>
      <Button type="submit" loading={busy} disabled={disabled}>
        {submit}
      </Button>
    </Group>
  );
}
