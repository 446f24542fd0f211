/// <reference types="node" />
// Server-side only: the gateway serves the stylesheet and the pages link it; no bundle carries this module.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** web/styles/hub.css, whether this runs from the sources (jest) or from dist/web/styles (tsc output). */
function stylesheetPath(): string {
  const candidates = [path.join(__dirname, 'hub.css'), path.resolve(__dirname, '../../../web/styles/hub.css')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`web/styles/hub.css not found (looked in ${candidates.join(', ')})`);
  return found;
}

const css = readFileSync(stylesheetPath(), 'utf8');
const hash = createHash('sha256').update(css).digest('hex').slice(0, 16);

/**
 * The hub's one stylesheet: its text, a hash of its content and the URL that names it, so it can be
 * cached for a year and a new version is a new URL.
 */
export const hubStylesheet: { readonly css: string; readonly hash: string; readonly href: string } = {
  css,
  hash,
  href: `/assets/hub.${hash}.css`,
};
