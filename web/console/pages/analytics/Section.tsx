// A part of an analytics page: its heading (h2), actions beside it (Export CSV), its content.
import { Group, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A part of an analytics page: its heading (h2), actions beside it, and its content. */
export function Section({
  id,
  title,
  description,
  actions,
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <Group justify="space-between" align="flex-end" mb="xs" gap="xs">
        <Title order={2} fz="xl" id={`${id}-title`}>
          {title}
        </Title>
        {actions}
      </Group>
      {description && (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      )}
      {children}
    </section>
  );
}
