// What every page of both apps runs inside: Mantine's theme and TanStack Query's cache.
import '@mantine/core/styles.css';
import { type CSSVariablesResolver, MantineProvider, type MantineThemeOverride } from '@mantine/core';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from './api.ts';
import { cssVariablesResolver as baseResolver, theme as baseTheme } from './theme.ts';

/**
 * `onSignedOut` runs when any read answers 401: the session ended (expired, signed out in
 * another tab), so the app forgets who was signed in and shows its sign-in page.
 */
export function createQueryClient(onSignedOut: (client: QueryClient) => void): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (error instanceof ApiError && error.status === 401) onSignedOut(client);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        // A 4xx will not change by asking again; a dropped connection or a 5xx may.
        retry: (failures, error) =>
          failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
  return client;
}

/** `theme` and `cssVariablesResolver` replace the shared ones (the portal's branding). */
export function AppProviders({
  client,
  theme = baseTheme,
  cssVariablesResolver = baseResolver,
  children,
}: {
  client: QueryClient;
  theme?: MantineThemeOverride;
  cssVariablesResolver?: CSSVariablesResolver;
  children: ReactNode;
}) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
