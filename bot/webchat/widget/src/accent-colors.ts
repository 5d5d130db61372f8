/**
 * The channel's color and a readable text color on it (WCAG relative luminance): a pale brand
 * color gets dark text. Undefined for anything but #rrggbb, which keeps the default look.
 */
export function accentColors(color: string | undefined): { accent: string; onAccent: string } | undefined {
  if (!color || !/^#[0-9a-f]{6}$/i.test(color)) return undefined;
  const [r, g, b] = [1, 3, 5].map((start) => {
    const channel = parseInt(color.slice(start, start + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  return { accent: color, onAccent: luminance > 0.45 ? '#111827' : '#ffffff' };
}
