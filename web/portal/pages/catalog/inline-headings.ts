// Descriptions inside the API reference sit below an operation's heading, deeper than the shared
// Markdown component places headings (h3 at most): their headings become bold lines, so that the
// page's outline stays in order.

const fence = /^ {0,3}(`{3,}|~{3,})/;
const heading = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const underline = /^ {0,3}(=+|-+)[ \t]*$/;

/** `source` with its ATX (`## Title`) and setext (`Title` over `===`) headings as bold paragraphs. */
export function inlineHeadings(source: string): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let inFence: string | undefined;
  for (const line of lines) {
    const opening = fence.exec(line)?.[1];
    if (inFence !== undefined) {
      if (opening?.startsWith(inFence)) inFence = undefined;
      out.push(line);
      continue;
    }
    if (opening !== undefined) {
      inFence = opening;
      out.push(line);
      continue;
    }
    const atx = heading.exec(line);
    if (atx) {
      out.push(atx[1] ? `\n**${atx[1]}**\n` : '');
      continue;
    }
    const previous = out.at(-1);
    // `Title` over `===` (or `---`, when the title line is text and not a list item or a break).
    if (
      underline.test(line) &&
      previous !== undefined &&
      /^ {0,3}[^\s\-*+>#|]/.test(previous) &&
      !/^\s*$/.test(previous)
    ) {
      out[out.length - 1] = `\n**${previous.trim()}**\n`;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}
