// Real Chromium (Debian's package, never a downloaded one) and a stand-in for an app's
// redirect URI, for the tests that click through pages.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A loopback server answering every request; `uri` is its `/cb` address. */
export async function redirectTarget(): Promise<{ server: Server; uri: string }> {
  const server = createServer((_req, res) => res.end('back at the app'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb` };
}
