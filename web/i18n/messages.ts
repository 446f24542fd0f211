import type { ComponentChild } from 'preact';
import type { PageLanguage } from '../citizen-pages.views';
import { en } from './en';
import { vi, type Messages } from './vi';

export type { Messages };

const catalogues: Record<PageLanguage, Messages> = { vi, en };

/** The catalogue of a page's language; anything but `en` is Vietnamese, the default. */
export function messagesFor(lang: PageLanguage): Messages {
  return lang === 'en' ? catalogues.en : catalogues.vi;
}

/** A bilingual value of a view in the page's language. */
export function inLanguage(text: { vi: string; en: string }, lang: PageLanguage): string {
  return lang === 'en' ? text.en : text.vi;
}

/**
 * A catalogue message with its `{name}` placeholders filled by components (a name in bold, a link);
 * the values stay children, so the renderer escapes them like any other text.
 */
export function fill(template: string, values: Record<string, ComponentChild>): ComponentChild[] {
  return template.split(/(\{\w+\})/).map((part) => {
    const key = /^\{(\w+)\}$/.exec(part)?.[1];
    return key !== undefined && key in values ? values[key] : part;
  });
}
