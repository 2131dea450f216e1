// The card the sign-in, sign-up and password pages sit in.
import { Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { usePageTitle } from '../../../ui/layout.tsx';
import { product } from '../../session.tsx';

export function AuthCard({
  title,
  description,
  children,
  footer,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  usePageTitle(title, product);
  return (
    <Stack gap="md">
      <Paper withBorder shadow="xs" p="xl" radius="md">
        <Stack gap="md">
          <Stack gap={4}>
            <Title order={1} fz={26}>
              {title}
            </Title>
            {description && (
              <Text c="dimmed" size="sm" component="div">
                {description}
              </Text>
            )}
          </Stack>
          {children}
        </Stack>
      </Paper>
      {footer && (
        <Text size="sm" ta="center" component="div">
          {footer}
        </Text>
      )}
    </Stack>
  );
}
