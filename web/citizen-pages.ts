import type { CitizenPages } from './citizen-pages.views';
import { renderConsentPage } from './pages/consent-page';
import { renderErrorPage } from './pages/error-page';
import { renderMyDataPage } from './pages/my-data-page';

export type * from './citizen-pages.views';

/** The citizen's pages, rendered on the server: each call returns a whole HTML document (no script needed). */
export const citizenPages: CitizenPages = {
  consentPage: renderConsentPage,
  myDataPage: renderMyDataPage,
  errorPage: renderErrorPage,
};
