import type { ErrorCode } from '../errors';
import { decide, type AccessRequest, type DossierScope } from './access-policy';
import { PUBLIC, type ClientKind, type Principal, MAX_SCOPES } from './principal';

const OWN = '000.19.31.H46';
const OTHER = '000.20.31.H46';

function client(kind: ClientKind, agencyCode: string | null = null): Principal {
  return { kind, clientId: `test-${kind.toLowerCase()}`, agencyCode, scopes: new Set(MAX_SCOPES[kind]) };
}

const PRINCIPALS: Record<string, Principal> = {
  public: PUBLIC,
  agency: client('AGENCY_SYSTEM', OWN),
  officer: client('OFFICER_APP', OWN),
  portal: client('PORTAL'),
  monitor: client('MONITOR'),
};

const ownDossier: DossierScope = { receivingAgencyCode: OWN, handlingAgencyCodes: [], submittedByClientId: null };
const routedDossier: DossierScope = { receivingAgencyCode: OTHER, handlingAgencyCodes: [OWN], submittedByClientId: null };
const otherDossier: DossierScope = { receivingAgencyCode: OTHER, handlingAgencyCodes: [], submittedByClientId: null };
const portalDossier: DossierScope = { receivingAgencyCode: OTHER, handlingAgencyCodes: [], submittedByClientId: 'test-portal' };

type Expect = 'allow' | ErrorCode;
const A = 'allow';
const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';
const C = 'CONSENT_REQUIRED';

/** Who may do what: public, agency system, officer app, portal, monitoring centre. */
const TABLE: [string, AccessRequest, [Expect, Expect, Expect, Expect, Expect]][] = [
  ['read the catalogue', { action: 'catalogue.read' }, [A, A, A, A, A]],
  ['look up a dossier status', { action: 'dossier.status' }, [A, A, A, A, A]],
  ['list own agency’s dossiers', { action: 'dossier.list', agencyCode: OWN }, [U, A, A, F, A]],
  ['list dossiers (no agency named)', { action: 'dossier.list', agencyCode: undefined }, [U, A, A, F, A]],
  ['list another agency’s dossiers', { action: 'dossier.list', agencyCode: OTHER }, [U, F, F, F, A]],
  ['open a dossier it received', { action: 'dossier.read', dossier: ownDossier }, [U, A, A, F, A]],
  ['open a dossier routed to it', { action: 'dossier.read', dossier: routedDossier }, [U, A, A, F, A]],
  ['open another agency’s dossier', { action: 'dossier.read', dossier: otherDossier }, [U, F, F, F, A]],
  ['open a dossier the portal submitted', { action: 'dossier.read', dossier: portalDossier }, [U, F, F, A, A]],
  ['receive at its own desk', { action: 'dossier.receive', agencyCode: OWN, channel: 'DESK' }, [U, A, A, F, F]],
  ['receive for another desk', { action: 'dossier.receive', agencyCode: OTHER, channel: 'DESK' }, [U, F, F, F, F]],
  ['submit online', { action: 'dossier.receive', agencyCode: OTHER, channel: 'ONLINE' }, [U, F, F, A, F]],
  ['act on its own dossier', { action: 'dossier.act', dossier: ownDossier }, [U, A, A, F, F]],
  ['act on a routed dossier', { action: 'dossier.act', dossier: routedDossier }, [U, A, A, F, F]],
  ['act on another agency’s dossier', { action: 'dossier.act', dossier: otherDossier }, [U, F, F, F, F]],
  ['withdraw or rate, own dossier', { action: 'dossier.applicant-act', dossier: ownDossier }, [U, A, A, F, F]],
  ['withdraw or rate, the portal’s dossier', { action: 'dossier.applicant-act', dossier: portalDossier }, [U, F, F, A, F]],
  ['personal data, own dossier', { action: 'personal-data.read', basis: { kind: 'dossier', dossier: ownDossier } }, [U, A, A, C, F]],
  ['personal data, other dossier', { action: 'personal-data.read', basis: { kind: 'dossier', dossier: otherDossier } }, [U, F, F, C, F]],
  [
    'personal data, portal’s dossier',
    { action: 'personal-data.read', basis: { kind: 'dossier', dossier: portalDossier } },
    [U, F, F, C, F],
  ],
  ['personal data, no basis', { action: 'personal-data.read', basis: { kind: 'none' } }, [U, F, F, C, F]],
  ['personal data, valid consent', { action: 'personal-data.read', basis: { kind: 'consent', consentValid: true } }, [U, A, A, A, F]],
  ['personal data, revoked consent', { action: 'personal-data.read', basis: { kind: 'consent', consentValid: false } }, [U, C, C, C, F]],
  ['own statistics', { action: 'statistics.read', agencyCode: OWN }, [U, A, A, F, A]],
  ['national statistics', { action: 'statistics.read', agencyCode: undefined }, [U, F, F, F, A]],
  ['digitize with its own seal', { action: 'document.digitize', agencyCode: OWN }, [U, A, A, F, F]],
  ['digitize with another agency’s seal', { action: 'document.digitize', agencyCode: OTHER }, [U, F, F, F, F]],
  ['fetch a document it signed', { action: 'document.read', agencyCode: OWN, dossier: null }, [U, A, A, F, F]],
  ['fetch a document of a dossier routed to it', { action: 'document.read', agencyCode: OTHER, dossier: routedDossier }, [U, A, A, F, F]],
  ['fetch another agency’s document', { action: 'document.read', agencyCode: OTHER, dossier: otherDossier }, [U, F, F, F, F]],
];

const ORDER = ['public', 'agency', 'officer', 'portal', 'monitor'] as const;

describe('access policy (denied by default)', () => {
  describe.each(TABLE)('%s', (_label, request, expected) => {
    it.each(ORDER.map((name, i) => [name, expected[i]!] as const))('%s → %s', (name, outcome) => {
      const decision = decide(PRINCIPALS[name]!, request);
      if (outcome === 'allow') expect(decision).toEqual({ allowed: true });
      else expect(decision.allowed === false && decision.error.code).toBe(outcome);
    });
  });

  it('denies a client without the scope even where its kind would be allowed', () => {
    const narrow: Principal = { kind: 'AGENCY_SYSTEM', clientId: 'narrow', agencyCode: OWN, scopes: new Set(['catalogue:read']) };
    const decision = decide(narrow, { action: 'dossier.read', dossier: ownDossier });
    expect(decision.allowed === false && decision.error.reason).toBe('AUTH.SCOPE_MISSING');
  });

  it('explains every denial in words an officer understands', () => {
    for (const [, request] of TABLE) {
      for (const name of ORDER) {
        const decision = decide(PRINCIPALS[name]!, request);
        if (!decision.allowed) expect(decision.error.message).toMatch(/^[A-Z].{20,}\.$/);
      }
    }
  });
});
