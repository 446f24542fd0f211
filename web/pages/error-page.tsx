import type { FlowErrorPageView } from '../citizen-pages.views';
import { inLanguage, messagesFor } from '../i18n/messages';
import { renderDocument } from '../render-document';

/** An error the citizen reads instead of being redirected (an unknown client, an unregistered redirect URI). */
export function ErrorPage({ view }: { view: FlowErrorPageView }) {
  const m = messagesFor(view.lang);
  return (
    <>
      <h1>{inLanguage(view.title, view.lang)}</h1>
      <p class="lead">{inLanguage(view.message, view.lang)}</p>
      <p>{m.error.advice}</p>
      <p class="reason">
        {m.error.reason}: <code>{view.reason}</code> · {m.error.status}: {view.status}
      </p>
    </>
  );
}

export function renderErrorPage(view: FlowErrorPageView): string {
  return renderDocument(view.lang, inLanguage(view.title, view.lang), <ErrorPage view={view} />);
}
