// What a page shows while it waits, when it fails, and when there is nothing to list yet.
import { Alert, Button, Center, EmptyState, Group, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { errorMessage } from './api.ts';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" aria-hidden="true" />
        <Text c="dimmed">{label}</Text>
      </Group>
    </Center>
  );
}

/** An error from the API, in its own words (`detail`), with a way to try again. */
export function ErrorAlert({
  error,
  title = 'Something went wrong',
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  return (
    <Alert color="red" title={title} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
          {errorMessage(error)}
        </Text>
        {onRetry && (
          <Button size="xs" variant="default" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** A form's error: announced when it appears, shown only when there is one. */
export function FormError({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  return (
    <Alert color="red" role="alert" title="That did not work">
      <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
        {errorMessage(error)}
      </Text>
    </Alert>
  );
}

export function Empty({
  title,
  description,
  action,
}: {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <EmptyState
      py="xl"
      title={title}
      description={description}
      withIndicatorBackground={false}
      data-testid="empty-state"
    >
      {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
    </EmptyState>
  );
}

/**
 * Renders a query's data once it is there; before, a loading state, and on failure the API's
 * message with a retry.
 */
export function QueryView<T>({
  query,
  loadingLabel,
  children,
}: {
  /** A TanStack query result, plain or infinite. */
  query: { data: T | undefined; error: unknown; isError: boolean; refetch: () => unknown };
  loadingLabel?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data === undefined) return <LoadingState {...(loadingLabel ? { label: loadingLabel } : {})} />;
  return <>{children(query.data)}</>;
}
