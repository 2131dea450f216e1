import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contrastRatio, mix, palette, parseHex, readableOn, textOn } from './colors.ts';

const hexColor = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255))
  .map((rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`);

describe('portal colours', () => {
  it('reads #rrggbb and #rgb, and nothing else', () => {
    expect(parseHex('#3b5bdb')).toEqual([59, 91, 219]);
    expect(parseHex('#fff')).toEqual([255, 255, 255]);
    expect(parseHex('red')).toBeNull();
    expect(parseHex('#12345')).toBeNull();
  });

  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('puts white on dark brand colours and black on light ones', () => {
    expect(textOn('#3b5bdb')).toBe('#ffffff');
    expect(textOn('#ffd43b')).toBe('#000000');
    expect(textOn('#ffffff')).toBe('#000000');
  });

  it('chooses button text that reaches AA wherever white or black can', () => {
    fc.assert(
      fc.property(hexColor, (background) => {
        const best = Math.max(contrastRatio('#ffffff', background), contrastRatio('#000000', background));
        expect(contrastRatio(textOn(background), background)).toBeGreaterThanOrEqual(
          Math.min(4.5, best) - 1e-9,
        );
      }),
    );
  });

  it('darkens or lightens a colour until it reads as text', () => {
    fc.assert(
      fc.property(hexColor, hexColor, (color, background) => {
        expect(contrastRatio(readableOn(color, background), background)).toBeGreaterThanOrEqual(4.5);
      }),
    );
    expect(readableOn('#1d2433', '#ffffff')).toBe('#1d2433');
  });

  it('builds ten shades around the colour', () => {
    const shades = palette('#3b5bdb');
    expect(shades).toHaveLength(10);
    expect(shades[6]).toBe('#3b5bdb');
    expect(palette('#3b5bdb', 8)[8]).toBe('#3b5bdb');
    expect(palette('#3b5bdb', 8)).toHaveLength(10);
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
  });
});
