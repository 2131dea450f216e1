// The provider's published pages (GET /portal/v1/pages): guides, FAQ entries and changelog
// entries, each kind with its own list and address.
import { useQuery } from '@tanstack/react-query';
import { type List, segment } from '../../../ui/api.ts';
import { api } from '../../api.ts';

export type PageKind = 'guide' | 'faq' | 'changelog';

export interface PageSummary {
  slug: string;
  kind: PageKind;
  title: string;
  order: number;
  updatedAt: string;
}

export interface ContentPage extends PageSummary {
  /** Markdown. */
  body: string;
}

/** Where each kind is listed, and what its list is called. */
export const kinds: Record<PageKind, { path: string; title: string; back: string }> = {
  guide: { path: '/guides', title: 'Guides', back: 'See all guides' },
  faq: { path: '/faq', title: 'FAQ', back: 'See all questions' },
  changelog: { path: '/changelog', title: 'Changelog', back: 'See the changelog' },
};

export const pagePath = (page: { kind: PageKind; slug: string }) =>
  `${kinds[page.kind].path}/${segment(page.slug)}`;

/** The published pages of one kind, by `order` then title as the API lists them. */
export function usePages(kind: PageKind) {
  return useQuery({
    queryKey: ['pages', kind],
    queryFn: () => api.get<List<PageSummary>>('/pages', { kind }),
    select: (list) => list.data,
  });
}

export const pageQuery = (slug: string) => ({
  queryKey: ['pages', 'page', slug],
  queryFn: () => api.get<ContentPage>(`/pages/${segment(slug)}`),
});

export function usePage(slug: string) {
  return useQuery(pageQuery(slug));
}
