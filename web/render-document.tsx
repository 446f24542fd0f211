import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { PageLanguage } from './citizen-pages.views';
import { messagesFor } from './i18n/messages';
import { hubStylesheet } from './styles/stylesheet';

/**
 * A whole HTML document around a page's main content: the language attribute, the one stylesheet,
 * a skip link, the site header with the language link, and the footer. No script: the pages work
 * without JavaScript.
 */
export function renderDocument(lang: PageLanguage, title: string, main: ComponentChildren): string {
  const m = messagesFor(lang);
  return `<!doctype html>${renderToString(
    <html lang={m.htmlLang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${m.siteName}`}</title>
        <link rel="stylesheet" href={hubStylesheet.href} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {m.skipToContent}
        </a>
        <header class="site-header">
          <div class="inner">
            <p class="site-name">{m.siteName}</p>
            <p class="language">
              <a
                href={`?lang=${m.otherLanguage.lang}`}
                hrefLang={m.otherLanguage.lang}
                lang={m.otherLanguage.lang}
                title={m.otherLanguage.hint}
              >
                {m.otherLanguage.label}
              </a>
            </p>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {main}
        </main>
        <footer class="site-footer">
          <p>{m.footer}</p>
        </footer>
      </body>
    </html>,
  )}`;
}
