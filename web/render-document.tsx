import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A whole HTML document around a page's body. */
export function renderDocument(lang: 'vi' | 'en', title: string, body: ComponentChildren): string {
  return `<!doctype html>${renderToString(
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <title>{title}</title>
      </head>
      <body>{body}</body>
    </html>,
  )}`;
}
