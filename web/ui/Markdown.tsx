// Descriptions written by the API provider, in Markdown. Raw HTML is shown as text, links only
// to http(s), mail and this site, images as their alt text, and headings start at h3 so that
// they sit below the page's own h1 and the section's h2.
import { Typography } from '@mantine/core';
import { Marked } from 'marked';
import { useMemo } from 'react';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const safeHref = (href: string) => /^(https?:|mailto:|\/(?!\/)|#)/i.test(href.trim());

const markdown = new Marked({ gfm: true, async: false });
markdown.use({
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    heading({ tokens, depth }) {
      const level = Math.min(6, depth + 2);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    link({ href, tokens }) {
      return safeHref(href) ? false : this.parser.parseInline(tokens);
    },
    image({ text }) {
      return escapeHtml(text);
    },
  },
});

export function Markdown({ source }: { source: string }) {
  const html = useMemo(() => markdown.parse(source, { async: false }), [source]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered by the escaping renderer above
  return <Typography dangerouslySetInnerHTML={{ __html: html }} />;
}
