// Pages for what went wrong outside the API: an unknown address, or a page that crashed.
import { Button, Stack, Text, Title } from '@mantine/core';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { Empty } from './states.tsx';

export function NotFound({ home, homeLabel }: { home: string; homeLabel: string }) {
  return (
    <>
      <Title order={1} fz={28} mb="md">
        Page not found
      </Title>
      <Empty
        title="There is nothing at this address"
        description="The link may be old, or the address mistyped."
        action={
          <Button component={Link} to={home}>
            {homeLabel}
          </Button>
        }
      />
    </>
  );
}

/** The router's error boundary: a bug in a page, shown instead of a blank screen. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return (
    <main id="main" style={{ maxWidth: 640, margin: '3rem auto', padding: '0 1rem' }}>
      <Stack>
        <Title order={1} fz={28}>
          This page failed
        </Title>
        <Text>
          Reload the page to try again. If it keeps failing, tell the operator of this site what you did.
        </Text>
        <Text size="sm" c="dimmed" ff="monospace">
          {message}
        </Text>
        <Button onClick={() => window.location.reload()} w="fit-content">
          Reload
        </Button>
      </Stack>
    </main>
  );
}
