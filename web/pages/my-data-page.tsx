import type { ConsentListItemView, DataReadView, MyDataPageView, PageLanguage } from '../citizen-pages.views';
import { AttributeLabel } from '../components/attribute-label';
import { CitizenBadge } from '../components/citizen-badge';
import { DateTime } from '../components/date-time';
import { durationInWords } from '../format';
import { fill, inLanguage, messagesFor } from '../i18n/messages';
import type { Messages } from '../i18n/vi';
import { renderDocument } from '../render-document';

function ConsentItem({ consent, csrf, lang, m }: { consent: ConsentListItemView; csrf: string; lang: PageLanguage; m: Messages }) {
  const t = m.myData;
  const headingId = `consent-${consent.id}-heading`;
  return (
    <article class="consent" id={`consent-${consent.id}`} aria-labelledby={headingId}>
      <h3 id={headingId}>{consent.client.name}</h3>
      <dl class="facts">
        <dt>{t.status}</dt>
        <dd class={`status status-${consent.status}`}>{t.statuses[consent.status]}</dd>
        <dt>{t.procedure}</dt>
        <dd>
          {consent.procedure.name} <span class="muted">({consent.procedure.code})</span>
        </dd>
        <dt>{t.purpose}</dt>
        <dd>{inLanguage(consent.purpose.description, lang)}</dd>
        <dt>{t.attributes}</dt>
        <dd>
          <ul>
            {consent.attributes.map((attribute) => (
              <li key={attribute.scope}>
                <AttributeLabel attribute={attribute} lang={lang} m={m} />
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t.issuedAt}</dt>
        <dd>
          <DateTime at={consent.issuedAt} />
        </dd>
        <dt>{t.notAfter}</dt>
        <dd>
          <DateTime at={consent.notAfter} />
        </dd>
        <dt>{t.dataLife}</dt>
        <dd>{durationInWords(consent.dataLifeSeconds, m)}</dd>
        {consent.revokedAt ? (
          <>
            <dt>{t.revokedAt}</dt>
            <dd>
              <DateTime at={consent.revokedAt} />
            </dd>
          </>
        ) : null}
      </dl>
      {consent.revokeAction ? (
        <form method="post" action={consent.revokeAction}>
          <input type="hidden" name="csrf" value={csrf} />
          <button type="submit" class="secondary">
            {t.revoke}
            <span class="visually-hidden"> {fill(t.revokeFor, { client: consent.client.name })}</span>
          </button>
        </form>
      ) : null}
    </article>
  );
}

function ReadRow({ read, lang, m }: { read: DataReadView; lang: PageLanguage; m: Messages }) {
  const t = m.myData;
  return (
    <tr>
      <td>
        <DateTime at={read.at} />
      </td>
      <td>
        {read.who.name} <span class="muted">({read.who.id})</span>
      </td>
      <td>
        <ul>
          {read.what.map((item) => (
            <li key={item.key}>{inLanguage(item.label, lang)}</li>
          ))}
        </ul>
      </td>
      <td>
        {read.why.kind === 'consent' ? (
          <a href={`#consent-${read.why.consentId}`}>{fill(t.whyConsent, { id: read.why.consentId.slice(0, 8) })}</a>
        ) : (
          fill(t.whyLegal, { basis: read.why.basis })
        )}
        <span class="source">{read.action}</span>
      </td>
    </tr>
  );
}

/** "My data": the consents given (each with its revoke form while in force) and every read, newest first. */
export function MyDataPage({ view }: { view: MyDataPageView }) {
  const m = messagesFor(view.lang);
  const t = m.myData;
  return (
    <>
      <h1>{t.title}</h1>
      {view.notice ? (
        <div class="notice" role="status">
          <p>{inLanguage(view.notice, view.lang)}</p>
        </div>
      ) : null}
      <CitizenBadge citizen={view.citizen} m={m} />
      <form method="post" action={view.signOutAction} class="sign-out">
        <input type="hidden" name="csrf" value={view.csrf} />
        <button type="submit" class="secondary">
          {t.signOut}
        </button>
      </form>
      <p class="lead">{t.intro}</p>
      <section aria-labelledby="consents-heading">
        <h2 id="consents-heading">{t.consentsHeading}</h2>
        {view.consents.length === 0 ? <p>{t.noConsents}</p> : null}
        {view.consents.map((consent) => (
          <ConsentItem key={consent.id} consent={consent} csrf={view.csrf} lang={view.lang} m={m} />
        ))}
      </section>
      <section aria-labelledby="reads-heading">
        <h2 id="reads-heading">{t.readsHeading}</h2>
        {view.reads.length === 0 ? (
          <p>{t.noReads}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption>{t.readsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.when}</th>
                  <th scope="col">{t.who}</th>
                  <th scope="col">{t.what}</th>
                  <th scope="col">{t.why}</th>
                </tr>
              </thead>
              <tbody>
                {view.reads.map((read, index) => (
                  <ReadRow key={index} read={read} lang={view.lang} m={m} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {view.nextReadsHref ? (
          <p class="pagination">
            <a href={view.nextReadsHref} rel="next">
              {t.olderReads}
            </a>
          </p>
        ) : null}
      </section>
    </>
  );
}

export function renderMyDataPage(view: MyDataPageView): string {
  return renderDocument(view.lang, messagesFor(view.lang).myData.title, <MyDataPage view={view} />);
}
