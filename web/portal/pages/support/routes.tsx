// The portal's guides, FAQ, changelog and contact page: open to everyone, signed in or not.
import type { RouteObject } from 'react-router';
import { Changelog } from './Changelog.tsx';
import { Contact } from './Contact.tsx';
import { ContentPage } from './ContentPage.tsx';
import { Faq } from './Faq.tsx';
import { Guides } from './Guides.tsx';

export const supportRoutes: RouteObject[] = [
  { path: 'guides', Component: Guides },
  { path: 'guides/:slug', element: <ContentPage kind="guide" /> },
  { path: 'faq', Component: Faq },
  { path: 'faq/:slug', element: <ContentPage kind="faq" /> },
  { path: 'changelog', Component: Changelog },
  { path: 'changelog/:slug', element: <ContentPage kind="changelog" /> },
  { path: 'contact', Component: Contact },
];
