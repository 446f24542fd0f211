/**
 * What the citizen's pages show (the consent page, "my data", the flow's error page): plain data the
 * gateway's routes gather and `web/` renders. The routes never build HTML themselves; the pages never
 * read the store. Form field names here are part of the contract (docs/API.md, "Consent flow").
 */

/** The languages of every page: Vietnamese first, English available (`?lang=en`, remembered in a cookie). */
export type PageLanguage = 'vi' | 'en';

/** One attribute a portal asks for, with its label in both languages. */
export interface AttributeView {
  /** The consent scope, e.g. `population.fullName`: the value of the `attributes` checkbox. */
  scope: string;
  label: { vi: string; en: string };
  /** The registry it comes from: population, land or business. */
  source: string;
}

/** Who is signed in (from the national identity provider). */
export interface CitizenView {
  name: string | null;
  /** Shown masked (e.g. `0010•••••123`): the page never prints the whole id. */
  maskedPersonalId: string;
  acr: string;
}

/**
 * The consent page: who asks, for which procedure and purpose, which attributes, for how long. The
 * form posts to `action` with the fields `csrf`, `decision` (`approve` | `decline`) and one
 * `attributes` field per ticked scope (all ticked at first: the citizen may untick).
 */
export interface ConsentPageView {
  lang: PageLanguage;
  action: string;
  csrf: string;
  citizen: CitizenView;
  client: { clientId: string; name: string };
  procedure: { code: string; name: string };
  purpose: { code: string; description: { vi: string; en: string } };
  attributes: AttributeView[];
  /** Until when the consent would hold. */
  notAfter: Date;
  /** How long the portal may keep what it reads, in seconds. */
  dataLifeSeconds: number;
  /** Shown above the form after a refused post (e.g. nothing left ticked). */
  problem?: { vi: string; en: string } | undefined;
}

export interface ConsentListItemView {
  id: string;
  client: { clientId: string; name: string };
  procedure: { code: string; name: string };
  purpose: { code: string; description: { vi: string; en: string } };
  attributes: AttributeView[];
  issuedAt: Date;
  notAfter: Date;
  dataLifeSeconds: number;
  status: 'GRANTED' | 'REVOKED' | 'EXPIRED';
  revokedAt: Date | null;
  /** POST here with `csrf` to withdraw it; absent once revoked or expired. */
  revokeAction?: string | undefined;
}

/** One read of the citizen's data, from the processing log: who, what, when, why. */
export interface DataReadView {
  at: Date;
  /** The API client or agency that read, by name (and its id). */
  who: { id: string; name: string };
  /** What was read: attribute scopes or field names, with labels where known. */
  what: { key: string; label: { vi: string; en: string } }[];
  /** Why: a consent (with its id), or the agency's legal basis as recorded. */
  why: { kind: 'consent'; consentId: string } | { kind: 'legal-basis'; basis: string };
  /** The action as logged, e.g. `prefill`, `personal-data.read`. */
  action: string;
}

/** The "my data" page: the consents given and every read, newest first, one page at a time. */
export interface MyDataPageView {
  lang: PageLanguage;
  citizen: CitizenView;
  csrf: string;
  consents: ConsentListItemView[];
  reads: DataReadView[];
  /** Link to the next page of reads, when there is one. */
  nextReadsHref?: string | undefined;
  signOutAction: string;
  /** A short confirmation after an action, e.g. a consent just withdrawn. */
  notice?: { vi: string; en: string } | undefined;
}

/** An error shown to the citizen instead of redirecting (e.g. an unregistered redirect URI). */
export interface FlowErrorPageView {
  lang: PageLanguage;
  status: number;
  title: { vi: string; en: string };
  message: { vi: string; en: string };
  /** The stable reason code, printed small for the help desk. */
  reason: string;
}

/** The renderers `web/` provides: each returns a whole HTML document. */
export interface CitizenPages {
  consentPage(view: ConsentPageView): string;
  myDataPage(view: MyDataPageView): string;
  errorPage(view: FlowErrorPageView): string;
}
