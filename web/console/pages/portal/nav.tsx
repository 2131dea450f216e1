// The console's Portal section in the navigation, with the count of new support messages.
import { Badge } from '@mantine/core';
import type { NavSection } from '../../../ui/layout.tsx';
import { useNewMessageCount } from './portal.ts';

export function usePortalNavSection(): NavSection {
  const unread = useNewMessageCount();
  return {
    label: 'Portal',
    items: [
      { to: '/portal/branding', label: 'Branding' },
      { to: '/portal/pages', label: 'Pages' },
      { to: '/portal/fields', label: 'Sign-up fields' },
      {
        to: '/portal/inbox',
        label: 'Inbox',
        extra:
          unread && unread !== '0' ? (
            <Badge size="sm" color="red" variant="filled">
              {unread}
              <span className="visually-hidden"> new</span>
            </Badge>
          ) : undefined,
      },
    ],
  };
}
