/** Accent colour chosen by the merchant through the SDK's `theme.color` (CONTRACT §8). */
export interface ThemeColor {
  /** Normalised `#rrggbb`. */
  accent: string;
  /** Text colour that stays readable on the accent: near-black on light accents, white on dark ones. */
  contrast: string;
}

const SHORT_HEX = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i;
const LONG_HEX = /^#[0-9a-f]{6}$/i;

/** Only `#RGB` and `#RRGGBB` are accepted; anything else (names, rgb(), url(...)) is ignored. */
export function parseThemeColor(value: string | null | undefined): ThemeColor | null {
  if (!value) return null;
  const trimmed = value.trim();
  let accent: string;
  const short = SHORT_HEX.exec(trimmed);
  if (short) {
    accent = `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase();
  } else if (LONG_HEX.test(trimmed)) {
    accent = trimmed.toLowerCase();
  } else {
    return null;
  }
  return { accent, contrast: contrastTextColor(accent) };
}

/**
 * White text unless it would fall below WCAG's 3:1 (the large/bold-text threshold, which the amount and
 * the pay button use); then near-black. Pure luminance comparison would put black text on mid-tone
 * brand colours such as the SDK's `#3399cc`, which merchants do not expect.
 */
export function contrastTextColor(hex: string): string {
  const channels = [1, 3, 5].map((start) => {
    const value = parseInt(hex.slice(start, start + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  return 1.05 / (luminance + 0.05) >= 3 ? '#ffffff' : '#111827';
}
