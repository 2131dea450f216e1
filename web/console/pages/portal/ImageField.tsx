// An image for the portal (logo, favicon): an uploaded file kept as a data: URL, or an https
// address, with a preview and a way to remove it.
import { Box, Button, Fieldset, FileInput, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';

const accepted = ['image/png', 'image/svg+xml', 'image/jpeg', 'image/webp'];

/** The admin API keeps data: URLs up to 200 KiB; base64 makes a file a third larger. */
export const maxDataUrlLength = 200 * 1024;

export function ImageField({
  label,
  value,
  onChange,
}: {
  /** `Logo`, `Favicon`: the legend, and the start of each input's label. */
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const uploaded = value?.startsWith('data:') ?? false;
  const typing = value !== null && 'https://'.startsWith(value);
  const badUrl = value !== null && !uploaded && !typing && !value.startsWith('https://');

  const choose = (chosen: File | null) => {
    setProblem(null);
    setFile(chosen);
    if (!chosen) return;
    if (!accepted.includes(chosen.type)) {
      setProblem('Use a PNG, SVG, JPEG or WebP image.');
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      if (url.length > maxDataUrlLength) {
        setProblem('The image is too large: use one under 150 KB (200 KiB once encoded).');
        return;
      }
      onChange(url);
    };
    reader.onerror = () => setProblem('The file could not be read.');
    reader.readAsDataURL(chosen);
  };

  const typeUrl = (text: string) => {
    setFile(null);
    setProblem(null);
    onChange(text.trim() === '' ? null : text.trim());
  };

  return (
    <Fieldset legend={label} variant="filled">
      <Group align="flex-start" gap="lg" wrap="nowrap">
        <Box
          w={72}
          h={72}
          bd="1px solid var(--mantine-color-default-border)"
          style={{
            borderRadius: 'var(--mantine-radius-sm)',
            flexShrink: 0,
            display: 'grid',
            placeItems: 'center',
          }}
        >
          {value && !badUrl && !typing ? (
            <img
              src={value}
              alt={`${label} preview`}
              style={{ maxWidth: 64, maxHeight: 64, objectFit: 'contain' }}
            />
          ) : (
            <Text size="xs" c="dimmed">
              None
            </Text>
          )}
        </Box>
        <Stack gap="sm" style={{ flex: 1 }}>
          <FileInput
            label={`${label} file`}
            description="PNG, SVG, JPEG or WebP, under 150 KB."
            placeholder="Choose an image"
            // Shown as text on a button, so it needs text contrast (the placeholder grey has not).
            styles={{ placeholder: { color: 'var(--mantine-color-dimmed)' } }}
            accept={accepted.join(',')}
            value={file}
            onChange={choose}
            error={problem}
          />
          <TextInput
            label={`${label} URL`}
            description={
              uploaded
                ? 'An uploaded file is in use; an address here replaces it.'
                : 'Or the https:// address of an image.'
            }
            placeholder="https://"
            type="url"
            value={uploaded ? '' : (value ?? '')}
            onChange={(e) => typeUrl(e.currentTarget.value)}
            error={badUrl ? 'Use an https:// address.' : undefined}
          />
          {value && (
            <Button
              variant="default"
              size="xs"
              w="fit-content"
              onClick={() => {
                setFile(null);
                setProblem(null);
                onChange(null);
              }}
            >
              Remove {label.toLowerCase()}
            </Button>
          )}
        </Stack>
      </Group>
    </Fieldset>
  );
}
