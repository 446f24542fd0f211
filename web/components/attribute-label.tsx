import type { AttributeView, PageLanguage } from '../citizen-pages.views';
import { inLanguage } from '../i18n/messages';
import type { Messages } from '../i18n/vi';

/** The registry an attribute comes from, by its name in the page's language. */
export function sourceName(source: string, m: Messages): string {
  return m.sources[source] ?? source;
}

/** An attribute's label with its source registry below it. */
export function AttributeLabel({ attribute, lang, m }: { attribute: AttributeView; lang: PageLanguage; m: Messages }) {
  return (
    <>
      <span class="attribute">{inLanguage(attribute.label, lang)}</span>
      <span class="source">
        {m.sourceLabel}: {sourceName(attribute.source, m)}
      </span>
    </>
  );
}
