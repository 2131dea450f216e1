import { describe, expect, it } from 'vitest';
import { inlineHeadings } from './inline-headings.ts';

describe('headings of descriptions inside the reference', () => {
  it('turns ATX and setext headings into bold paragraphs', () => {
    expect(inlineHeadings('# Limits\nAt most 14 days.\n## Units ##\nMetric.')).toBe(
      '\n**Limits**\n\nAt most 14 days.\n\n**Units**\n\nMetric.',
    );
    expect(inlineHeadings('Notes\n=====\nSome.\n\nMore\n---')).toBe('\n**Notes**\n\nSome.\n\n\n**More**\n');
  });

  it('leaves code blocks, thematic breaks, lists and hashes inside text alone', () => {
    const text = '```sh\n# a comment\n```\n\n---\n\n- item\n---\nIssue #4 and C#.';
    expect(inlineHeadings(text)).toBe(text);
  });
});
