// The developer portal: its routes, mounted at / on the portal port.
import '../ui/global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, Navigate } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { NotFound, RouteError } from '../ui/errors.tsx';
import { ProductNameContext } from '../ui/layout.tsx';
import { AppProviders, createQueryClient } from '../ui/providers.tsx';
import { api } from './api.ts';
import { applyToDocument, brandingKey, brandTheme, loadBranding } from './branding.ts';
import { AcceptInvitation } from './pages/account/AcceptInvitation.tsx';
import { CheckEmail } from './pages/account/CheckEmail.tsx';
import { ForgotPassword } from './pages/account/ForgotPassword.tsx';
import { ResetPassword } from './pages/account/ResetPassword.tsx';
import { SignIn } from './pages/account/SignIn.tsx';
import { SignUp } from './pages/account/SignUp.tsx';
import { VerifyEmail } from './pages/account/VerifyEmail.tsx';
import { ApplicationPage } from './pages/applications/ApplicationPage.tsx';
import { Applications } from './pages/applications/Applications.tsx';
import { Keys } from './pages/applications/Keys.tsx';
import { NewApplication } from './pages/applications/NewApplication.tsx';
import { OAuth } from './pages/applications/OAuth.tsx';
import { Subscribe } from './pages/applications/Subscribe.tsx';
import { Subscriptions } from './pages/applications/Subscriptions.tsx';
import { Usage } from './pages/applications/Usage.tsx';
import { ApiPage } from './pages/catalog/ApiPage.tsx';
import { Catalog } from './pages/catalog/Catalog.tsx';
import { AccountMembers } from './pages/members/AccountMembers.tsx';
import { supportRoutes } from './pages/support/routes.tsx';
import { PortalShell, PublicShell, RequireSession, sessionKey } from './session.tsx';

// Signed out in another tab, or the session expired: a read that answers 401 shows the sign-in page.
const queryClient = createQueryClient((client) => {
  api.setCsrfToken(undefined);
  client.setQueryData(sessionKey, null);
});

const router = createBrowserRouter([
  {
    ErrorBoundary: RouteError,
    children: [
      {
        Component: PublicShell,
        children: [
          { path: 'signin', Component: SignIn },
          { path: 'signup', Component: SignUp },
          { path: 'signup/check-email', Component: CheckEmail },
          { path: 'verify-email', Component: VerifyEmail },
          { path: 'forgot-password', Component: ForgotPassword },
          { path: 'reset-password', Component: ResetPassword },
          { path: 'accept-invitation', Component: AcceptInvitation },
        ],
      },
      {
        Component: PortalShell,
        children: [
          { index: true, element: <Navigate to="/apis" replace /> },
          { path: 'apis', Component: Catalog },
          { path: 'apis/:apiId', Component: ApiPage },
          ...supportRoutes,
          {
            Component: RequireSession,
            children: [
              { path: 'applications', Component: Applications },
              { path: 'applications/new', Component: NewApplication },
              {
                path: 'applications/:applicationId',
                Component: ApplicationPage,
                children: [
                  { index: true, Component: Keys },
                  { path: 'subscriptions', Component: Subscriptions },
                  { path: 'subscriptions/new', Component: Subscribe },
                  { path: 'usage', Component: Usage },
                  { path: 'oauth', Component: OAuth },
                ],
              },
              { path: 'account', Component: AccountMembers },
            ],
          },
          { path: '*', element: <NotFound home="/apis" homeLabel="Browse the APIs" /> },
        ],
      },
    ],
  },
]);

// The provider's branding comes first, so that the first page already shows their name and colours.
const root = document.getElementById('root');
if (root) {
  void loadBranding().then((branding) => {
    queryClient.setQueryData(brandingKey, branding);
    applyToDocument(branding);
    const { theme, cssVariablesResolver } = brandTheme(branding);
    createRoot(root).render(
      <StrictMode>
        <AppProviders client={queryClient} theme={theme} cssVariablesResolver={cssVariablesResolver}>
          <ProductNameContext value={branding.name}>
            <RouterProvider router={router} />
          </ProductNameContext>
        </AppProviders>
      </StrictMode>,
    );
  });
}
