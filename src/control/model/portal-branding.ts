// Portal branding: the portal's name, logo, favicon, colours, extra CSS and (for the console's
// instructions) its custom domain. One object, replaced whole by PUT.
import { z } from 'zod';

export const defaultBranding = {
  name: 'Turnpike developer portal',
  logo: null,
  favicon: null,
  colors: { primary: '#3b5bdb', background: '#ffffff', text: '#1d2433' },
  customCss: '',
  customDomain: null,
} as const;

/** Largest logo or favicon given inline, as the whole `data:` URL. */
export const maxImageDataUrl = 200 * 1024;
export const maxCustomCss = 50_000;

const dataUrl = /^data:image\/(png|svg\+xml|jpeg|webp);base64,[A-Za-z0-9+/]*={0,2}$/;

/** Why `value` cannot be a logo or favicon, or undefined when it can. */
export function imageProblem(value: string): string | undefined {
  if (value.startsWith('data:')) {
    if (value.length > maxImageDataUrl) return `must be at most ${maxImageDataUrl} characters as a data: URL`;
    return dataUrl.test(value)
      ? undefined
      : 'must be a base64 data: URL of a PNG, SVG, JPEG or WebP image (data:image/png;base64,…)';
  }
  if (!value.startsWith('https://')) return 'must be an https:// URL or a data:image/…;base64 URL';
  if (value.length > 2000) return 'must be at most 2000 characters as an https:// URL';
  try {
    new URL(value);
  } catch {
    return 'is not a valid URL';
  }
  return undefined;
}

const image = (what: string) =>
  z
    .string()
    .superRefine((value, ctx) => {
      const problem = imageProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .nullable()
    .optional()
    .meta({ default: null })
    .describe(
      `The ${what}: an https:// URL, or a data:image/(png|svg+xml|jpeg|webp);base64 URL of at most 200 KiB; null for none.`,
    );

const color = (what: string, fallback: string) =>
  z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb')
    .optional()
    .meta({ default: fallback })
    .describe(`${what}, as #rrggbb.`);

const colors = z
  .strictObject({
    primary: color('Buttons, links and highlights', defaultBranding.colors.primary),
    background: color('The page background', defaultBranding.colors.background),
    text: color('Body text', defaultBranding.colors.text),
  })
  .describe('The portal’s colours; a colour left out takes its default.');

const hostName = z
  .string()
  .max(253)
  .regex(
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/,
    'must be a lower-case host name such as developer.example.com',
  );

export const brandingInput = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .max(80)
      .optional()
      .meta({ default: defaultBranding.name })
      .describe('The portal’s title, in the header and the browser tab.'),
    logo: image('logo in the portal’s header'),
    favicon: image('icon in the browser tab'),
    colors: colors.optional().meta({ default: defaultBranding.colors }),
    customCss: z
      .string()
      .max(maxCustomCss)
      .optional()
      .meta({ default: '' })
      .describe('CSS served as /portal/v1/branding.css, loaded after the portal’s own styles.'),
    customDomain: hostName
      .nullable()
      .optional()
      .meta({ default: null })
      .describe('Where developers reach the portal, such as developer.example.com; informational.'),
  })
  .meta({
    id: 'PortalBrandingUpdate',
    description: 'The whole branding; a field left out takes its default.',
  });

export const branding = z
  .strictObject({
    name: z.string(),
    logo: z.string().nullable(),
    favicon: z.string().nullable(),
    colors: z.strictObject({ primary: z.string(), background: z.string(), text: z.string() }),
    customCss: z.string(),
    customDomain: z.string().nullable(),
  })
  .meta({ id: 'PortalBranding', description: 'How the developer portal looks.' });

export type BrandingInput = z.infer<typeof brandingInput>;
export type Branding = z.infer<typeof branding>;

/** The input with every default filled in: what PUT stores and the declarative file means. */
export function resolveBranding(input: BrandingInput): Branding {
  return {
    name: input.name ?? defaultBranding.name,
    logo: input.logo ?? null,
    favicon: input.favicon ?? null,
    colors: {
      primary: input.colors?.primary ?? defaultBranding.colors.primary,
      background: input.colors?.background ?? defaultBranding.colors.background,
      text: input.colors?.text ?? defaultBranding.colors.text,
    },
    customCss: input.customCss ?? '',
    customDomain: input.customDomain ?? null,
  };
}
