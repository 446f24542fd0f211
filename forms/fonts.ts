import { readFileSync } from 'node:fs';
import { fromProjectRoot } from '../platform/paths';

/** The committed DejaVu Serif family (forms/fonts/README.md): full Vietnamese coverage, embedded and subset in every PDF. */
export const FONT_FILES = {
  regular: 'DejaVuSerif.ttf',
  bold: 'DejaVuSerif-Bold.ttf',
  italic: 'DejaVuSerif-Italic.ttf',
  boldItalic: 'DejaVuSerif-BoldItalic.ttf',
} as const;

export type FontStyle = keyof typeof FONT_FILES;

let cache: Record<FontStyle, Buffer> | undefined;

/** Font files, read once per process. */
export function fontData(): Record<FontStyle, Buffer> {
  cache ??= Object.fromEntries(
    Object.entries(FONT_FILES).map(([style, file]) => [style, readFileSync(fromProjectRoot('forms', 'fonts', file))]),
  ) as Record<FontStyle, Buffer>;
  return cache;
}
