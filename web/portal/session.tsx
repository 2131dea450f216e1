// Who is signed in to the portal, the frame around its pages, and the gate in front of the
// pages that need a developer.
import { Alert, Button, Group, NativeSelect, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { ApiError, errorMessage } from '../ui/api.ts';
import { AppLayout, CenteredLayout } from '../ui/layout.tsx';
import { LoadingState } from '../ui/states.tsx';
import { api, type Session } from './api.ts';
import { useBranding } from './branding.ts';
import { supportNavItems } from './pages/support/nav.ts';

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

/**
 * A new session answer (signed in, joined an account, switched account): keep its CSRF token
 * and show it. Everything else read so far was read for another developer or account, so it is
 * dropped and read again rather than shown stale for a moment.
 */
export function useAdoptSession(): (answer: Session) => Promise<void> {
  const client = useQueryClient();
  return async (answer) => {
    api.setCsrfToken(answer.csrfToken);
    client.setQueryData(sessionKey, answer);
    await client.resetQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
  };
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

/** Sign out, then go to `then` (the sign-in page unless told otherwise). */
export function useSignOut(then = '/signin') {
  const client = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api.delete('/session'),
    onSettled: () => {
      // Signed out, or the session had already ended: either way nobody is signed in here now.
      api.setCsrfToken(undefined);
      client.clear();
      client.setQueryData(sessionKey, null);
      navigate(then);
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
  const { developer, account, accounts = [] } = session.data;
  return (
    <Group gap="sm" wrap="nowrap">
      {accounts.length > 1 ? (
        <>
          <Text size="sm" truncate="end" maw={160}>
            {developer.name}
          </Text>
          <AccountSwitcher session={session.data} />
        </>
      ) : (
        <Text size="sm" truncate="end" maw={220}>
          {account ? `${developer.name} · ${account.name}` : developer.name}
        </Text>
      )}
      <Button variant="default" size="xs" onClick={() => signOut.mutate()} loading={signOut.isPending}>
        Sign out
      </Button>
    </Group>
  );
}

/** For a developer in several accounts: which one the session acts for. */
function AccountSwitcher({ session }: { session: Session }) {
  const adopt = useAdoptSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const switchAccount = useMutation({
    mutationFn: (accountId: string) => api.put<Session>('/session/account', { accountId }),
    onSuccess: async (answer) => {
      await adopt(answer);
      // An application belongs to one account: its page would answer 404 for the other.
      if (pathname.startsWith('/applications/')) navigate('/applications');
    },
  });
  const current = session.account?.id ?? '';
  return (
    <NativeSelect
      aria-label="Account"
      size="xs"
      maw={220}
      data={[
        ...(current === '' ? [{ value: '', label: 'Choose an account' }] : []),
        ...(session.accounts ?? []).map((a) => ({ value: a.id, label: `${a.name} (${a.role})` })),
      ]}
      value={switchAccount.isPending ? switchAccount.variables : current}
      onChange={(event) => {
        const chosen = event.currentTarget.value;
        if (chosen !== '' && chosen !== current) switchAccount.mutate(chosen);
      }}
      disabled={switchAccount.isPending}
      error={switchAccount.error ? errorMessage(switchAccount.error) : undefined}
    />
  );
}

export function PortalShell() {
  const session = useSession();
  const branding = useBranding();
  const navItems = [
    { to: '/apis', label: 'APIs' },
    ...(session.data
      ? [
          { to: '/applications', label: 'Applications' },
          { to: '/account', label: 'Account' },
        ]
      : []),
    ...supportNavItems,
  ];
  return (
    <AppLayout
      product={branding.name}
      logo={branding.logo}
      home="/"
      navItems={navItems}
      headerEnd={<UserArea />}
    >
      <PendingAccountNotice />
      <Outlet />
    </AppLayout>
  );
}

export function PublicShell() {
  const branding = useBranding();
  return (
    <CenteredLayout product={branding.name} logo={branding.logo} home="/">
      <Outlet />
    </CenteredLayout>
  );
}

/** A pending account's developer may look around, but their applications cannot call APIs yet. */
function PendingAccountNotice() {
  const session = useSession();
  if (session.data?.account?.state !== 'pending') return null;
  return (
    <Alert color="yellow" title="Your account waits for approval" mb="md" role="status">
      The provider approves new accounts. You can create applications and keys now; calls with them work once
      the account is approved.
    </Alert>
  );
}
