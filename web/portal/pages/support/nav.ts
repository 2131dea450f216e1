// The links to the guides, FAQ, changelog and contact page, shown to signed-out visitors too.
import type { NavItem } from '../../../ui/layout.tsx';

export const supportNavItems: NavItem[] = [
  { to: '/guides', label: 'Guides' },
  { to: '/faq', label: 'FAQ' },
  { to: '/changelog', label: 'Changelog' },
  { to: '/contact', label: 'Contact' },
];
