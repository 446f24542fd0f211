import type { ConsentPageView } from '../citizen-pages.views';
import { AttributeLabel } from '../components/attribute-label';
import { CitizenBadge } from '../components/citizen-badge';
import { DateTime } from '../components/date-time';
import { durationInWords } from '../format';
import { fill, inLanguage, messagesFor } from '../i18n/messages';
import { renderDocument } from '../render-document';

/**
 * The consent page: who asks, for which procedure and purpose, which attributes (all ticked; the
 * citizen may untick), until when and how long the portal may keep the data. Approve comes first in
 * the form, so Enter in the form approves what is ticked; decline is a submit button of its own.
 */
export function ConsentPage({ view }: { view: ConsentPageView }) {
  const m = messagesFor(view.lang);
  const t = m.consent;
  const client = <strong>{view.client.name}</strong>;
  const duration = durationInWords(view.dataLifeSeconds, m);
  return (
    <>
      <h1>{t.title}</h1>
      <CitizenBadge citizen={view.citizen} m={m} />
      {view.problem ? (
        <div class="problem" role="alert" id="problem">
          <h2>{t.problemHeading}</h2>
          <p>{inLanguage(view.problem, view.lang)}</p>
        </div>
      ) : null}
      <p class="lead">{fill(t.intro, { client })}</p>
      <dl class="facts">
        <dt>{t.requester}</dt>
        <dd>
          {view.client.name} <span class="muted">({view.client.clientId})</span>
        </dd>
        <dt>{t.procedure}</dt>
        <dd>
          {view.procedure.name} <span class="muted">({view.procedure.code})</span>
        </dd>
        <dt>{t.purpose}</dt>
        <dd>{inLanguage(view.purpose.description, view.lang)}</dd>
        <dt>{t.validUntil}</dt>
        <dd>
          <DateTime at={view.notAfter} />
        </dd>
        <dt>{t.dataLife}</dt>
        <dd>
          {duration}
          <span class="source">{fill(t.dataLifeExplain, { client: view.client.name, duration })}</span>
        </dd>
      </dl>
      <form method="post" action={view.action}>
        <input type="hidden" name="csrf" value={view.csrf} />
        <fieldset aria-describedby="untick-help">
          <legend>{t.attributesLegend}</legend>
          <p id="untick-help">{t.untickHelp}</p>
          <ul class="choices">
            {view.attributes.map((attribute, index) => (
              <li key={attribute.scope}>
                <input type="checkbox" name="attributes" value={attribute.scope} id={`attribute-${index}`} checked />
                <label for={`attribute-${index}`}>
                  <AttributeLabel attribute={attribute} lang={view.lang} m={m} />
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div class="actions">
          <button type="submit" name="decision" value="approve">
            {t.approve}
          </button>
          <button type="submit" name="decision" value="decline" class="secondary">
            {t.decline}
          </button>
        </div>
      </form>
      <p>{fill(t.withdrawLater, { link: <a href="/my-data">{t.myDataLink}</a> })}</p>
    </>
  );
}

export function renderConsentPage(view: ConsentPageView): string {
  return renderDocument(view.lang, messagesFor(view.lang).consent.title, <ConsentPage view={view} />);
}
