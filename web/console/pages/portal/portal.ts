// What the console's Portal pages manage through the admin API (docs/portal-content.md):
// branding, content pages, sign-up fields and the support inbox.
import { useQuery } from '@tanstack/react-query';
import { type List, segment } from '../../../ui/api.ts';
import { api } from '../../api.ts';

export interface Branding {
  name: string;
  logo: string | null;
  favicon: string | null;
  colors: { primary: string; background: string; text: string };
  customCss: string;
  customDomain: string | null;
}

export const defaultBranding: Branding = {
  name: 'Turnpike developer portal',
  logo: null,
  favicon: null,
  colors: { primary: '#3b5bdb', background: '#ffffff', text: '#1d2433' },
  customCss: '',
  customDomain: null,
};

export type PageKind = 'guide' | 'faq' | 'changelog';

export const pageKinds: { value: PageKind; label: string }[] = [
  { value: 'guide', label: 'Guide' },
  { value: 'faq', label: 'FAQ' },
  { value: 'changelog', label: 'Changelog' },
];

export const kindLabel = (kind: string) => pageKinds.find((k) => k.value === kind)?.label ?? kind;

export interface ContentPage {
  id: string;
  slug: string;
  kind: PageKind;
  title: string;
  body: string;
  published: boolean;
  order: number;
  createdAt: string;
  updatedAt: string;
}

export type FieldTarget = 'account' | 'developer' | 'application';

export const fieldTargets: { value: FieldTarget; title: string; description: string }[] = [
  { value: 'account', title: 'Account', description: 'Asked at sign-up, kept on the organization.' },
  { value: 'developer', title: 'Developer', description: 'Asked at sign-up, kept on the person.' },
  {
    value: 'application',
    title: 'Application',
    description: 'Asked when a developer creates or edits an application.',
  },
];

export interface SignUpField {
  id: string;
  target: FieldTarget;
  name: string;
  label: string;
  type: 'text' | 'choice';
  /** The values a `choice` field accepts; empty for `text`. */
  choices: string[];
  required: boolean;
  order: number;
}

export interface SupportMessage {
  id: string;
  kind: 'question' | 'bug' | (string & {});
  subject: string;
  body: string;
  /** Where to answer: the developer's address, or the one given. */
  email: string;
  developerId: string | null;
  accountId: string | null;
  state: 'new' | 'read' | 'archived' | (string & {});
  createdAt: string;
}

export const messageKind = (kind: string) => (kind === 'bug' ? 'Bug report' : 'Question');

export const paths = {
  branding: '/portal/branding',
  pages: '/portal/pages',
  page: (id: string) => `/portal/pages/${segment(id)}`,
  fields: '/portal/fields',
  field: (id: string) => `/portal/fields/${segment(id)}`,
  messages: '/portal/messages',
  message: (id: string) => `/portal/messages/${segment(id)}`,
};

/** The fields list's query key (the console's `['admin', path]`), refreshed after each change. */
export const fieldsKey = ['admin', paths.fields] as const;

/** How many support messages nobody has opened yet (`200+` past one page), asked every minute. */
export function useNewMessageCount(): string | null {
  const query = useQuery({
    queryKey: ['admin', paths.messages, { state: 'new' }, 'count'],
    queryFn: () => api.get<List<SupportMessage>>(paths.messages, { state: 'new', limit: 200 }),
    refetchInterval: 60_000,
  });
  if (!query.data) return null;
  return `${query.data.data.length}${query.data.next ? '+' : ''}`;
}
