// Who is signed in to the portal, the frame around its pages, and the gate in front of the
// pages that need a developer.
import { Button, Group, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../ui/api.ts';
import { AppLayout, CenteredLayout } from '../ui/layout.tsx';
import { LoadingState } from '../ui/states.tsx';
import { api, type Session } from './api.ts';

export const product = 'Turnpike developer portal';
export const sessionKey = ['session'] as const;

async function fetchSession(): Promise<Session | null> {
  try {
    const session = await api.get<Session>('/session');
    api.setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      api.setCsrfToken(undefined);
      return null;
    }
    throw error;
  }
}

/**
 * The signed-in developer, or null. Without a CSRF token from an earlier sign-in in this
 * browser nobody is signed in, and the API is not asked.
 */
export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: () => (api.csrfToken() === undefined ? null : fetchSession()),
    staleTime: 60_000,
  });
}

/** After signing in: back where the developer was sent from, if that is a page of this site. */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/applications';
}

export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  const client = useQueryClient();
  // Signed in without this browser knowing (a cookie from another page of the site): ask once.
  const probe = useQuery({
    queryKey: [...sessionKey, 'probe'],
    queryFn: async () => {
      const found = await fetchSession();
      if (found) client.setQueryData(sessionKey, found);
      return found;
    },
    enabled: session.data === null,
    staleTime: 0,
    gcTime: 0,
  });
  if (session.isPending || (session.data === null && probe.isPending)) return <LoadingState />;
  if (!session.data) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/signin?next=${next}`} replace />;
  }
  return <Outlet />;
}

function useSignOut() {
  const client = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api.delete('/session'),
    onSettled: () => {
      // Signed out, or the session had already ended: either way nobody is signed in here now.
      api.setCsrfToken(undefined);
      client.clear();
      client.setQueryData(sessionKey, null);
      navigate('/signin');
    },
  });
}

function UserArea() {
  const session = useSession();
  const signOut = useSignOut();
  if (session.isPending) return null;
  if (!session.data) {
    return (
      <Group gap="xs">
        <Button component={Link} to="/signin" variant="default" size="xs">
          Sign in
        </Button>
        <Button component={Link} to="/signup" size="xs">
          Create an account
        </Button>
      </Group>
    );
  }
  const { developer, account } = session.data;
  return (
    <Group gap="sm" wrap="nowrap">
      <Text size="sm" truncate="end" maw={220}>
        {developer.name} · {account.name}
      </Text>
      <Button variant="default" size="xs" onClick={() => signOut.mutate()} loading={signOut.isPending}>
        Sign out
      </Button>
    </Group>
  );
}

export function PortalShell() {
  const session = useSession();
  const navItems = [
    { to: '/apis', label: 'APIs' },
    ...(session.data ? [{ to: '/applications', label: 'Applications' }] : []),
  ];
  return (
    <AppLayout product={product} home="/" navItems={navItems} headerEnd={<UserArea />}>
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
