// "Export CSV": fetches an analytics answer with `format=csv` under the page's session (the
// cookie; reads need no CSRF token) and saves it as a file, so a failed export shows the API's
// message instead of a downloaded error page.
import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { ApiError, errorMessage, type Problem } from './api.ts';

/** GETs `url` and saves the answer as `filename`. */
export async function downloadFile(url: string, filename: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/csv' } });
  } catch {
    throw new ApiError(0, {}, 'Cannot reach the server. Check your connection and try again.');
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Problem;
    throw new ApiError(
      response.status,
      problem,
      problem.detail ?? problem.title ?? `The export failed (${response.status}).`,
    );
  }
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has the file once the click ran; the object URL may go a moment later.
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** `/admin/v1/analytics/top?by=api&format=csv&…` from a base path and query parameters. */
export function csvUrl(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  params.set('format', 'csv');
  return `${path}?${params}`;
}

export function CsvButton({ url, filename, what }: { url: string; filename: string; what: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Group gap="xs" wrap="nowrap">
      {error !== null && (
        <Text size="xs" c="red.9" role="alert">
          {errorMessage(error)}
        </Text>
      )}
      <Button
        variant="default"
        size="xs"
        loading={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await downloadFile(url, filename);
          } catch (caught) {
            setError(caught);
          } finally {
            setBusy(false);
          }
        }}
      >
        Export CSV<span className="visually-hidden"> of {what}</span>
      </Button>
    </Group>
  );
}
