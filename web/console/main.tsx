// The admin console: its routes, mounted at /console on the admin port.
import '../ui/global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { NotFound, RouteError } from '../ui/errors.tsx';
import { AppProviders, createQueryClient } from '../ui/providers.tsx';
import { api } from './api.ts';
import { Approvals } from './pages/Approvals.tsx';
import { alertRoutes } from './pages/alerts/routes.tsx';
import { analyticsRoutes } from './pages/analytics/routes.tsx';
import { manageRoutes } from './pages/manage/routes.tsx';
import { Outbox } from './pages/Outbox.tsx';
import { OutboxMessage } from './pages/OutboxMessage.tsx';
import { Overview } from './pages/Overview.tsx';
import { portalRoutes } from './pages/portal/routes.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { ConsoleShell, PublicShell, RequireAdmin, sessionKey } from './session.tsx';

// The session ended (12 hours, signed out elsewhere, a new password): show the sign-in page.
const queryClient = createQueryClient((client) => {
  api.setCsrfToken(undefined);
  client.setQueryData(sessionKey, null);
});

const router = createBrowserRouter(
  [
    {
      ErrorBoundary: RouteError,
      children: [
        { Component: PublicShell, children: [{ path: 'signin', Component: SignIn }] },
        {
          Component: RequireAdmin,
          children: [
            {
              Component: ConsoleShell,
              children: [
                { index: true, Component: Overview },
                { path: 'approvals', Component: Approvals },
                { path: 'outbox', Component: Outbox },
                { path: 'outbox/:messageId', Component: OutboxMessage },
                ...analyticsRoutes,
                ...alertRoutes,
                ...manageRoutes,
                ...portalRoutes,
                { path: '*', element: <NotFound home="/" homeLabel="Go to the overview" /> },
              ],
            },
          ],
        },
      ],
    },
  ],
  { basename: '/console' },
);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <AppProviders client={queryClient}>
        <RouterProvider router={router} />
      </AppProviders>
    </StrictMode>,
  );
}
