// Descriptions written by the API provider, in Markdown. Raw HTML is shown as text, links only
// to http(s), mail and this site, images as their alt text, and headings start at h3 so that
// they sit below the page's own h1 and the section's h2 (at h2 on a page that is all Markdown);
// a text whose largest heading is `##` starts there too, so no heading level is skipped.
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
    link({ href, tokens }) {
      return safeHref(href) ? false : this.parser.parseInline(tokens);
    },
    image({ text }) {
      return escapeHtml(text);
    },
  },
});

/** The HTML of `source`, its largest heading at `<h{top}>` and the others below it in step. */
function toHtml(source: string, top: number): string {
  const tokens = markdown.lexer(source);
  let largest = 6;
  markdown.walkTokens(tokens, (token) => {
    if (token.type === 'heading') largest = Math.min(largest, token.depth);
  });
  markdown.walkTokens(tokens, (token) => {
    if (token.type === 'heading') token.depth = Math.min(6, token.depth - largest + top);
  });
  return markdown.parser(tokens);
}

/** `headingLevel`: what the text's largest heading becomes, one below the heading it sits under. */
export function Markdown({ source, headingLevel = 3 }: { source: string; headingLevel?: 2 | 3 }) {
  const html = useMemo(() => toHtml(source, headingLevel), [source, headingLevel]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered by the escaping renderer above
  return <Typography dangerouslySetInnerHTML={{ __html: html }} />;
}
