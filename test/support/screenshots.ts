// Screenshots of the main pages for the README: written to docs/screenshots/ only when
// TURNPIKE_SCREENSHOTS=1, so ordinary test runs leave the tree alone.
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const screenshotDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

export async function snap(page: Page, name: string): Promise<void> {
  if (process.env.TURNPIKE_SCREENSHOTS === '1')
    await page.screenshot({ path: `${screenshotDir}${name}.png` });
}
