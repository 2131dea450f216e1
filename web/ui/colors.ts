// Colours a provider picks for the portal, made readable: WCAG contrast ratios, the text that
// reads on a filled button, a link colour that reads on the page, and a Mantine palette.

export type Rgb = readonly [number, number, number];

const white = '#ffffff';
const black = '#000000';

/** `#3b5bdb` → [59, 91, 219]; anything else but `#rrggbb` or `#rgb` → null. */
export function parseHex(hex: string): Rgb | null {
  const text = hex.trim().replace(/^#/, '');
  const full = /^[0-9a-f]{3}$/i.test(text) ? [...text].map((c) => c + c).join('') : text;
  if (!/^[0-9a-f]{6}$/i.test(full)) return null;
  return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb;
}

export function toHex(rgb: Rgb): string {
  return `#${rgb
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

export function isHexColor(value: string): boolean {
  return /^#[0-9a-f]{6}$/i.test(value);
}

/** WCAG 2 relative luminance, 0 for black to 1 for white. */
export function luminance(hex: string): number {
  const rgb = parseHex(hex) ?? [0, 0, 0];
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio, from 1 (none) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** `a` moved towards `b` by `amount` (0 keeps `a`, 1 gives `b`). */
export function mix(a: string, b: string, amount: number): string {
  const from = parseHex(a) ?? [0, 0, 0];
  const to = parseHex(b) ?? [0, 0, 0];
  return toHex(from.map((c, i) => c + ((to[i] ?? 0) - c) * amount) as unknown as Rgb);
}

/**
 * The text colour for a filled background (a primary button): white while it reaches AA's
 * 4.5:1 — what brand colours usually carry — else whichever of white and black reads better.
 */
export function textOn(background: string): string {
  const onWhite = contrastRatio(white, background);
  if (onWhite >= 4.5) return white;
  return contrastRatio(black, background) > onWhite ? black : white;
}

/**
 * `color` as text on `background`: unchanged when it reaches `min`, else darkened (on a light
 * background) or lightened (on a dark one) step by step until it does.
 */
export function readableOn(color: string, background: string, min = 4.5): string {
  const towards = contrastRatio(black, background) >= contrastRatio(white, background) ? black : white;
  for (let step = 0; step <= 20; step++) {
    const candidate = mix(color, towards, step / 20);
    if (contrastRatio(candidate, background) >= min) return candidate;
  }
  return towards;
}

/** Ten shades for Mantine, light to dark, with the colour itself at index `at`. */
export function palette(color: string, at = 6): string[] {
  const lighter = Array.from({ length: at }, (_, i) => mix(color, white, (0.92 * (at - i)) / at));
  const darker = Array.from({ length: 9 - at }, (_, i) => mix(color, black, 0.12 * (i + 1)));
  return [...lighter, color, ...darker];
}
