// The portal's branding: name, logo, favicon, colours, custom CSS and the custom domain, saved
// as one object (PUT /admin/v1/portal/branding).
import {
  Alert,
  Box,
  Button,
  Code,
  ColorInput,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { contrastRatio, isHexColor, readableOn, textOn } from '../../../ui/colors.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { FormError, QueryView } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { product } from '../../session.tsx';
import { ImageField } from './ImageField.tsx';
import { type Branding as BrandingObject, defaultBranding, paths } from './portal.ts';

const brandingKey = ['admin', paths.branding] as const;

export function Branding() {
  usePageTitle('Branding', product);
  const branding = useQuery({
    queryKey: brandingKey,
    queryFn: () => api.get<BrandingObject>(paths.branding),
  });
  return (
    <>
      <PageHeader
        title="Branding"
        description="How the developer portal looks: its name, logo, colors and styles."
      />
      <QueryView query={branding} loadingLabel="Loading the branding…">
        {(data) => <BrandingForm initial={{ ...defaultBranding, ...data }} />}
      </QueryView>
    </>
  );
}

type ColorName = keyof BrandingObject['colors'];

const colorInputs: { name: ColorName; label: string; description: string }[] = [
  { name: 'primary', label: 'Primary color', description: 'Buttons, links and the current page.' },
  { name: 'background', label: 'Background color', description: 'Behind every page.' },
  { name: 'text', label: 'Text color', description: 'Headings and text.' },
];

function BrandingForm({ initial }: { initial: BrandingObject }) {
  const client = useQueryClient();
  const [branding, setBranding] = useState(initial);

  const save = useMutation({
    mutationFn: () =>
      api.put<BrandingObject>(paths.branding, {
        ...branding,
        name: branding.name.trim(),
        customDomain: branding.customDomain?.trim().toLowerCase() || null,
      }),
    onSuccess: (saved) => {
      client.setQueryData(brandingKey, saved);
      setBranding({ ...defaultBranding, ...saved });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  // An edit after saving takes the "saved" message (or the last error) away.
  const change = (next: Partial<BrandingObject>) => {
    save.reset();
    setBranding((current) => ({ ...current, ...next }));
  };
  const setColor = (name: ColorName, value: string) =>
    change({ colors: { ...branding.colors, [name]: value } });

  return (
    <form onSubmit={submit}>
      <Stack gap="lg" maw={760}>
        <Section id="branding-identity" title="Name and images">
          <TextInput
            label="Portal name"
            description="In the portal's header and the browser tab."
            required
            maxLength={80}
            value={branding.name}
            onChange={(e) => change({ name: e.currentTarget.value })}
          />
          <ImageField label="Logo" value={branding.logo} onChange={(logo) => change({ logo })} />
          <ImageField label="Favicon" value={branding.favicon} onChange={(favicon) => change({ favicon })} />
        </Section>

        <Section id="branding-colors" title="Colors">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {colorInputs.map((input) => (
              <ColorInput
                key={input.name}
                label={input.label}
                description={input.description}
                format="hex"
                required
                value={branding.colors[input.name]}
                onChange={(value) => setColor(input.name, value)}
                error={isHexColor(branding.colors[input.name]) ? undefined : 'Use a color like #3b5bdb.'}
                // Named without the field's label, so that the label alone finds the input.
                eyeDropperButtonProps={{ 'aria-label': `Pick a color from the screen for ${input.name}` }}
              />
            ))}
          </SimpleGrid>
          <ColorPreview colors={branding.colors} />
        </Section>

        <Section id="branding-css" title="Styles">
          <Textarea
            label="Custom CSS"
            description="Loaded after the portal's own styles (as /portal/v1/branding.css). At most 50,000 characters."
            autosize
            minRows={6}
            maxRows={24}
            maxLength={50_000}
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            value={branding.customCss}
            onChange={(e) => change({ customCss: e.currentTarget.value })}
          />
        </Section>

        <Section id="branding-domain" title="Domain">
          <TextInput
            label="Custom domain"
            description="The host name developers use for the portal. Turnpike does not serve or check it: it is a note for the steps below."
            placeholder="developer.example.com"
            value={branding.customDomain ?? ''}
            onChange={(e) =>
              change({ customDomain: e.currentTarget.value === '' ? null : e.currentTarget.value })
            }
          />
          <DomainSteps domain={branding.customDomain?.trim() || 'developer.example.com'} />
        </Section>

        <FormError error={save.error} />
        {save.isSuccess && (
          <Alert color="green" role="status" title="Branding saved">
            The portal shows it the next time a page of it is loaded.
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save branding
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={id}>
      <Stack gap="md">
        <Title order={2} fz="lg" id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

/** The colours as the portal will use them, and whether text on them is readable. */
function ColorPreview({ colors }: { colors: BrandingObject['colors'] }) {
  if (![colors.primary, colors.background, colors.text].every(isHexColor)) return null;
  const textContrast = contrastRatio(colors.text, colors.background);
  const buttonText = textOn(colors.primary);
  const link = readableOn(colors.primary, colors.background);
  const ratio = (value: number) => `${value.toFixed(1)}:1`;
  return (
    <Stack gap="sm">
      <Box
        p="md"
        bg={colors.background}
        c={colors.text}
        bd="1px solid var(--mantine-color-default-border)"
        style={{ borderRadius: 'var(--mantine-radius-md)' }}
      >
        <Text inherit fw={650} mb={6}>
          Your developer portal
        </Text>
        <Group gap="md">
          <Box
            component="span"
            px="md"
            py={6}
            bg={colors.primary}
            c={buttonText}
            fw={600}
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
          >
            Create application
          </Box>
          <Text inherit c={link} td="underline">
            Read the guide
          </Text>
        </Group>
      </Box>
      <Text size="sm">
        Text on the background: {ratio(textContrast)}. Button text is{' '}
        {buttonText === '#ffffff' ? 'white' : 'black'} ({ratio(contrastRatio(buttonText, colors.primary))}),
        chosen for contrast
        {link.toLowerCase() === colors.primary.toLowerCase()
          ? ''
          : '; links are shown darker or lighter to stay readable'}
        .
      </Text>
      {textContrast < 4.5 && (
        <Alert color="yellow" title="Text will be hard to read" role="status">
          Text and background reach {ratio(textContrast)}; WCAG AA asks for at least 4.5:1.
        </Alert>
      )}
    </Stack>
  );
}

function DomainSteps({ domain }: { domain: string }) {
  return (
    <List type="ordered" size="sm" spacing={4}>
      <List.Item>
        Point <Code>{domain}</Code> at the portal: a DNS record (CNAME, or A/AAAA) for the proxy or load
        balancer in front of the portal port, with a TLS certificate for the name.
      </List.Item>
      <List.Item>
        Start Turnpike with <Code>--portal-url https://{domain}</Code> (or <Code>TURNPIKE_PORTAL_URL</Code>),
        so the links in e-mails use the domain.
      </List.Item>
    </List>
  );
}
