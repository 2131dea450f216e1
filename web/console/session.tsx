// Who is signed in to the console, the frame around its pages, and the gate in front of them.
import { Badge, Button, Group, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../ui/api.ts';
import { AppLayout, CenteredLayout } from '../ui/layout.tsx';
import { LoadingState } from '../ui/states.tsx';
import { type Account, type AdminSession, api, type Subscription, useAdminList } from './api.ts';
import { usePortalNavSection } from './pages/portal/nav.tsx';

export const product = 'Turnpike console';
export const sessionKey = ['admin', 'session'] as const;

export function useAdminSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<AdminSession | null> => {
      // The CSRF token comes only with signing in here, and the console cannot write without
      // it: without one, sign in again (and no 401 is asked for).
      if (api.csrfToken() === undefined) return null;
      try {
        const session = await api.get<AdminSession>('/session');
        if (session.csrfToken) api.setCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          api.setCsrfToken(undefined);
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function RequireAdmin() {
  const session = useAdminSession();
  const location = useLocation();
  if (session.isPending) return <LoadingState />;
  if (!session.data) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/signin?next=${next}`} replace />;
  }
  return <Outlet />;
}

/** What awaits a provider's decision: accounts and subscriptions in the pending state. */
export function usePending() {
  const accounts = useAdminList<Account>('/accounts', { state: 'pending' });
  const subscriptions = useAdminList<Subscription>('/subscriptions', { state: 'pending' });
  return { accounts, subscriptions };
}

function UserArea() {
  const session = useAdminSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => api.delete('/session'),
    onSettled: () => {
      api.setCsrfToken(undefined);
      client.clear();
      client.setQueryData(sessionKey, null);
      navigate('/signin');
    },
  });
  if (!session.data) return null;
  return (
    <Group gap="sm" wrap="nowrap">
      <Text size="sm" truncate="end" maw={220}>
        {session.data.name} · {session.data.role}
      </Text>
      <Button variant="default" size="xs" onClick={() => signOut.mutate()} loading={signOut.isPending}>
        Sign out
      </Button>
    </Group>
  );
}

export function ConsoleShell() {
  const { accounts, subscriptions } = usePending();
  const waiting = (accounts.data?.length ?? 0) + (subscriptions.data?.length ?? 0);
  const portalSection = usePortalNavSection();
  const navItems = [
    { to: '/', label: 'Overview', end: true },
    {
      to: '/approvals',
      label: 'Approvals',
      extra:
        waiting > 0 ? (
          <Badge size="sm" color="red" variant="filled">
            {waiting}
            <span className="visually-hidden"> waiting</span>
          </Badge>
        ) : undefined,
    },
    { to: '/analytics', label: 'Analytics' },
    { to: '/alerts', label: 'Alerts' },
    { to: '/upstreams', label: 'Upstreams' },
    { to: '/apis', label: 'APIs' },
    { to: '/policies', label: 'Policies' },
    { to: '/products', label: 'Products and plans' },
    { to: '/accounts', label: 'Accounts' },
    { to: '/applications', label: 'Applications' },
    { to: '/outbox', label: 'Outbox' },
  ];
  return (
    <AppLayout
      product={product}
      home="/"
      navItems={navItems}
      navSections={[portalSection]}
      headerEnd={<UserArea />}
    >
      <Outlet />
    </AppLayout>
  );
}

export function PublicShell() {
  return (
    <CenteredLayout product={product} home="/">
      <Outlet />
    </CenteredLayout>
  );
}
