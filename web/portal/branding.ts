// The provider's branding of the portal (docs/portal-content.md): read once at start, before the
// first page shows, then applied as the document's favicon and stylesheet and as the Mantine
// theme — with text colours chosen for contrast whatever colours the provider picked.
import {
  Anchor,
  type CSSVariablesResolver,
  colorsTuple,
  createTheme,
  defaultVariantColorsResolver,
  type MantineThemeOverride,
  mergeThemeOverrides,
  parseThemeColor,
  type VariantColorsResolver,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { contrastRatio, isHexColor, mix, palette, readableOn, textOn } from '../ui/colors.ts';
import { theme as baseTheme } from '../ui/theme.ts';
import { api } from './api.ts';

export interface Branding {
  name: string;
  logo: string | null;
  favicon: string | null;
  colors: { primary: string; background: string; text: string };
}

export const defaultBranding: Branding = {
  name: 'Turnpike developer portal',
  logo: null,
  favicon: null,
  colors: { primary: '#3b5bdb', background: '#ffffff', text: '#1d2433' },
};

export const brandingKey = ['branding'] as const;

/** Past this, the portal shows with the default look rather than keep the visitor waiting. */
const patience = 3000;

/** The branding, or the defaults when it cannot be read in time: never fails. */
export async function loadBranding(): Promise<Branding> {
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), patience));
  const answer = await Promise.race([api.get<Partial<Branding>>('/branding').catch(() => null), timeout]);
  if (!answer) return defaultBranding;
  const colors = { ...defaultBranding.colors, ...answer.colors };
  for (const key of ['primary', 'background', 'text'] as const) {
    if (!isHexColor(colors[key])) colors[key] = defaultBranding.colors[key];
  }
  return {
    name: answer.name || defaultBranding.name,
    logo: answer.logo ?? null,
    favicon: answer.favicon ?? null,
    colors,
  };
}

export function useBranding(): Branding {
  const branding = useQuery({
    queryKey: brandingKey,
    queryFn: loadBranding,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return branding.data ?? defaultBranding;
}

/** The tab's title and icon, and the provider's CSS after the app's own styles. */
export function applyToDocument(branding: Branding): void {
  document.title = branding.name;
  if (branding.favicon) {
    let icon = document.querySelector<HTMLLinkElement>('link[rel~="icon"]');
    if (!icon) {
      icon = document.createElement('link');
      icon.rel = 'icon';
      document.head.append(icon);
    }
    icon.removeAttribute('type');
    icon.href = branding.favicon;
  }
  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = '/portal/v1/branding.css';
  document.head.append(css);
}

/**
 * The shared theme in the provider's colours. The primary colour sits at shade 8, the shade the
 * shared theme fills buttons with; the page's background and text replace Mantine's white and
 * black (so inputs and cards follow a dark background too).
 */
export function brandTheme(branding: Branding): {
  theme: MantineThemeOverride;
  cssVariablesResolver: CSSVariablesResolver;
} {
  const { primary, background, text } = branding.colors;
  const brand = colorsTuple(palette(primary, 8));
  const onPrimary = textOn(primary);

  // Text on a filled surface (buttons, badges, the current page in the navigation) is white or
  // black, whichever reads on that fill.
  const variantColorResolver: VariantColorsResolver = (input) => {
    const colors = defaultVariantColorsResolver(input);
    if (input.variant !== 'filled') return colors;
    const fill = parseThemeColor({
      color: input.color ?? input.theme.primaryColor,
      theme: input.theme,
    }).value;
    return isHexColor(fill) ? { ...colors, color: textOn(fill) } : colors;
  };

  // Links read on the background; when their colour is too close to the text's (under 3:1),
  // an underline tells them apart instead.
  const link = readableOn(primary, background);
  const underline = contrastRatio(link, text) < 3;

  const theme = mergeThemeOverrides(
    baseTheme,
    createTheme({
      colors: { brand },
      primaryColor: 'brand',
      white: background,
      black: text,
      variantColorResolver,
      ...(underline
        ? { components: { Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }) } }
        : {}),
    }),
  );

  const cssVariablesResolver: CSSVariablesResolver = () => ({
    variables: {},
    light: {
      '--mantine-primary-color-contrast': onPrimary,
      // Hovering moves the fill away from its text, never towards it.
      '--mantine-color-brand-filled-hover': mix(
        primary,
        onPrimary === '#ffffff' ? '#000000' : '#ffffff',
        0.12,
      ),
      '--mantine-color-anchor': link,
      '--mantine-color-brand-light-color': readableOn(primary, mix(background, primary, 0.12)),
      '--mantine-color-brand-outline': link,
      '--mantine-color-dimmed': readableOn(mix(text, background, 0.3), background),
      '--mantine-color-error': readableOn('#c92a2a', background),
      '--mantine-color-placeholder': readableOn(mix(text, background, 0.45), background, 3),
      '--tp-page-tint': mix(background, text, 0.03),
    },
    dark: {},
  });

  return { theme, cssVariablesResolver };
}
