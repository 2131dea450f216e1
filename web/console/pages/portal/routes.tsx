// The routes of the console's Portal section, under /portal.
import { Navigate, type RouteObject } from 'react-router';
import { Branding } from './Branding.tsx';
import { Fields } from './Fields.tsx';
import { Inbox } from './Inbox.tsx';
import { InboxMessage } from './InboxMessage.tsx';
import { EditPage, NewPage } from './PageEditor.tsx';
import { Pages } from './Pages.tsx';

export const portalRoutes: RouteObject[] = [
  { path: 'portal', element: <Navigate to="/portal/branding" replace /> },
  { path: 'portal/branding', Component: Branding },
  { path: 'portal/pages', Component: Pages },
  { path: 'portal/pages/new', Component: NewPage },
  { path: 'portal/pages/:pageId', Component: EditPage },
  { path: 'portal/fields', Component: Fields },
  { path: 'portal/inbox', Component: Inbox },
  { path: 'portal/inbox/:messageId', Component: InboxMessage },
];
