import type { ErrorCode } from '../errors';
import { decide, type AccessRequest, type HeldDossierScope } from './access-policy';
import type { DossierAct } from './dossier-acts';
import { PUBLIC, type ClientKind, type Principal, type Scope, MAX_SCOPES } from './principal';

const OWN = '000.19.31.H46';
const OTHER = '000.20.31.H46';
const THIRD = '000.19.35.H46';

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

const held = (code: string) => ({ code, name: `Agency ${code}` });
/** Received by OWN and still there. */
const ownDossier: HeldDossierScope = { receivingAgencyCode: OWN, handlingAgencyCodes: [], submittedByClientId: null, holder: held(OWN) };
/** Received by OWN, forwarded to OTHER: OWN is still its desk, no longer its holder. */
const forwardedAway: HeldDossierScope = {
  receivingAgencyCode: OWN,
  handlingAgencyCodes: [OTHER],
  submittedByClientId: null,
  holder: held(OTHER),
};
/** Received by OTHER, routed to OWN, which holds it now. */
const routedDossier: HeldDossierScope = {
  receivingAgencyCode: OTHER,
  handlingAgencyCodes: [OWN],
  submittedByClientId: null,
  holder: held(OWN),
};
/** Received by OTHER, routed to OWN, which passed it on to THIRD. */
const passedOn: HeldDossierScope = {
  receivingAgencyCode: OTHER,
  handlingAgencyCodes: [OWN, THIRD],
  submittedByClientId: null,
  holder: held(THIRD),
};
const otherDossier: HeldDossierScope = {
  receivingAgencyCode: OTHER,
  handlingAgencyCodes: [],
  submittedByClientId: null,
  holder: held(OTHER),
};
const portalDossier: HeldDossierScope = {
  receivingAgencyCode: OTHER,
  handlingAgencyCodes: [],
  submittedByClientId: 'test-portal',
  holder: held(OTHER),
};

const act = (name: DossierAct, dossier: HeldDossierScope): AccessRequest => ({ action: 'dossier.act', act: name, dossier });

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
  ['search own dossiers by applicant', { action: 'dossier.list', agencyCode: OWN, personalFilter: 'applicantId' }, [U, A, A, F, F]],
  ['search all dossiers by applicant', { action: 'dossier.list', agencyCode: undefined, personalFilter: 'applicantId' }, [U, A, A, F, F]],
  ['search dossiers by land parcel', { action: 'dossier.list', agencyCode: undefined, personalFilter: 'landParcel' }, [U, A, A, F, F]],
  ['open a dossier it received', { action: 'dossier.read', dossier: ownDossier }, [U, A, A, F, A]],
  ['open a dossier routed to it', { action: 'dossier.read', dossier: routedDossier }, [U, A, A, F, A]],
  ['open a dossier it passed on', { action: 'dossier.read', dossier: passedOn }, [U, A, A, F, A]],
  ['open another agency’s dossier', { action: 'dossier.read', dossier: otherDossier }, [U, F, F, F, A]],
  ['open a dossier the portal submitted', { action: 'dossier.read', dossier: portalDossier }, [U, F, F, A, A]],
  ['receive at its own desk', { action: 'dossier.receive', agencyCode: OWN, channel: 'DESK' }, [U, A, A, F, F]],
  ['receive for another desk', { action: 'dossier.receive', agencyCode: OTHER, channel: 'DESK' }, [U, F, F, F, F]],
  ['submit online', { action: 'dossier.receive', agencyCode: OTHER, channel: 'ONLINE' }, [U, F, F, A, F]],
  // The agency holding the dossier now, and no one else.
  ['requestSupplement, its own dossier', act('requestSupplement', ownDossier), [U, A, A, F, F]],
  ['requestSupplement, a dossier it forwarded away', act('requestSupplement', forwardedAway), [U, F, F, F, F]],
  ['requestSupplement, a dossier routed to it', act('requestSupplement', routedDossier), [U, A, A, F, F]],
  ['requestSupplement, a dossier it passed on', act('requestSupplement', passedOn), [U, F, F, F, F]],
  ['requestSupplement, another agency’s dossier', act('requestSupplement', otherDossier), [U, F, F, F, F]],
  ['requestSupplement, the portal’s dossier', act('requestSupplement', portalDossier), [U, F, F, F, F]],
  ['forward, its own dossier', act('forward', ownDossier), [U, A, A, F, F]],
  ['forward, a dossier it forwarded away', act('forward', forwardedAway), [U, F, F, F, F]],
  ['forward, a dossier routed to it', act('forward', routedDossier), [U, A, A, F, F]],
  ['forward, a dossier it passed on', act('forward', passedOn), [U, F, F, F, F]],
  ['forward, another agency’s dossier', act('forward', otherDossier), [U, F, F, F, F]],
  ['forward, the portal’s dossier', act('forward', portalDossier), [U, F, F, F, F]],
  ['completeStep, its own dossier', act('completeStep', ownDossier), [U, A, A, F, F]],
  ['completeStep, a dossier it forwarded away', act('completeStep', forwardedAway), [U, F, F, F, F]],
  ['completeStep, a dossier routed to it', act('completeStep', routedDossier), [U, A, A, F, F]],
  ['completeStep, a dossier it passed on', act('completeStep', passedOn), [U, F, F, F, F]],
  ['completeStep, another agency’s dossier', act('completeStep', otherDossier), [U, F, F, F, F]],
  ['completeStep, the portal’s dossier', act('completeStep', portalDossier), [U, F, F, F, F]],
  ['recordResult, its own dossier', act('recordResult', ownDossier), [U, A, A, F, F]],
  ['recordResult, a dossier it forwarded away', act('recordResult', forwardedAway), [U, F, F, F, F]],
  ['recordResult, a dossier routed to it', act('recordResult', routedDossier), [U, A, A, F, F]],
  ['recordResult, a dossier it passed on', act('recordResult', passedOn), [U, F, F, F, F]],
  ['recordResult, another agency’s dossier', act('recordResult', otherDossier), [U, F, F, F, F]],
  ['recordResult, the portal’s dossier', act('recordResult', portalDossier), [U, F, F, F, F]],
  ['extendDeadline, its own dossier', act('extendDeadline', ownDossier), [U, A, A, F, F]],
  ['extendDeadline, a dossier it forwarded away', act('extendDeadline', forwardedAway), [U, F, F, F, F]],
  ['extendDeadline, a dossier routed to it', act('extendDeadline', routedDossier), [U, A, A, F, F]],
  ['extendDeadline, a dossier it passed on', act('extendDeadline', passedOn), [U, F, F, F, F]],
  ['extendDeadline, another agency’s dossier', act('extendDeadline', otherDossier), [U, F, F, F, F]],
  ['extendDeadline, the portal’s dossier', act('extendDeadline', portalDossier), [U, F, F, F, F]],
  ['reject, its own dossier', act('reject', ownDossier), [U, A, A, F, F]],
  ['reject, a dossier it forwarded away', act('reject', forwardedAway), [U, F, F, F, F]],
  ['reject, a dossier routed to it', act('reject', routedDossier), [U, A, A, F, F]],
  ['reject, a dossier it passed on', act('reject', passedOn), [U, F, F, F, F]],
  ['reject, another agency’s dossier', act('reject', otherDossier), [U, F, F, F, F]],
  ['reject, the portal’s dossier', act('reject', portalDossier), [U, F, F, F, F]],
  ['stop, its own dossier', act('stop', ownDossier), [U, A, A, F, F]],
  ['stop, a dossier it forwarded away', act('stop', forwardedAway), [U, F, F, F, F]],
  ['stop, a dossier routed to it', act('stop', routedDossier), [U, A, A, F, F]],
  ['stop, a dossier it passed on', act('stop', passedOn), [U, F, F, F, F]],
  ['stop, another agency’s dossier', act('stop', otherDossier), [U, F, F, F, F]],
  ['stop, the portal’s dossier', act('stop', portalDossier), [U, F, F, F, F]],
  // The desk that received it, wherever it is now.
  ['accept, its own dossier', act('accept', ownDossier), [U, A, A, F, F]],
  ['accept, a dossier it forwarded away', act('accept', forwardedAway), [U, A, A, F, F]],
  ['accept, a dossier routed to it', act('accept', routedDossier), [U, F, F, F, F]],
  ['accept, a dossier it passed on', act('accept', passedOn), [U, F, F, F, F]],
  ['accept, another agency’s dossier', act('accept', otherDossier), [U, F, F, F, F]],
  ['accept, the portal’s dossier', act('accept', portalDossier), [U, F, F, F, F]],
  ['returnResult, its own dossier', act('returnResult', ownDossier), [U, A, A, F, F]],
  ['returnResult, a dossier it forwarded away', act('returnResult', forwardedAway), [U, A, A, F, F]],
  ['returnResult, a dossier routed to it', act('returnResult', routedDossier), [U, F, F, F, F]],
  ['returnResult, a dossier it passed on', act('returnResult', passedOn), [U, F, F, F, F]],
  ['returnResult, another agency’s dossier', act('returnResult', otherDossier), [U, F, F, F, F]],
  ['returnResult, the portal’s dossier', act('returnResult', portalDossier), [U, F, F, F, F]],
  // The applicant: through the portal that submitted it, or at the receiving desk.
  ['submitSupplement, its own dossier', act('submitSupplement', ownDossier), [U, A, A, F, F]],
  ['submitSupplement, a dossier it forwarded away', act('submitSupplement', forwardedAway), [U, A, A, F, F]],
  ['submitSupplement, a dossier routed to it', act('submitSupplement', routedDossier), [U, F, F, F, F]],
  ['submitSupplement, a dossier it passed on', act('submitSupplement', passedOn), [U, F, F, F, F]],
  ['submitSupplement, another agency’s dossier', act('submitSupplement', otherDossier), [U, F, F, F, F]],
  ['submitSupplement, the portal’s dossier', act('submitSupplement', portalDossier), [U, F, F, A, F]],
  ['withdraw, its own dossier', act('withdraw', ownDossier), [U, A, A, F, F]],
  ['withdraw, a dossier it forwarded away', act('withdraw', forwardedAway), [U, A, A, F, F]],
  ['withdraw, a dossier routed to it', act('withdraw', routedDossier), [U, F, F, F, F]],
  ['withdraw, a dossier it passed on', act('withdraw', passedOn), [U, F, F, F, F]],
  ['withdraw, another agency’s dossier', act('withdraw', otherDossier), [U, F, F, F, F]],
  ['withdraw, the portal’s dossier', act('withdraw', portalDossier), [U, F, F, A, F]],
  ['rate, its own dossier', act('rate', ownDossier), [U, A, A, F, F]],
  ['rate, a dossier it forwarded away', act('rate', forwardedAway), [U, A, A, F, F]],
  ['rate, a dossier routed to it', act('rate', routedDossier), [U, F, F, F, F]],
  ['rate, a dossier it passed on', act('rate', passedOn), [U, F, F, F, F]],
  ['rate, another agency’s dossier', act('rate', otherDossier), [U, F, F, F, F]],
  ['rate, the portal’s dossier', act('rate', portalDossier), [U, F, F, A, F]],
  // Digitizing into a dossier: its desk or its holder, each with its own seal.
  ['digitize, its own dossier', act('digitize', ownDossier), [U, A, A, F, F]],
  ['digitize, a dossier it forwarded away', act('digitize', forwardedAway), [U, A, A, F, F]],
  ['digitize, a dossier routed to it', act('digitize', routedDossier), [U, A, A, F, F]],
  ['digitize, a dossier it passed on', act('digitize', passedOn), [U, F, F, F, F]],
  ['digitize, another agency’s dossier', act('digitize', otherDossier), [U, F, F, F, F]],
  ['digitize, the portal’s dossier', act('digitize', portalDossier), [U, F, F, F, F]],

  ['personal data, own dossier', { action: 'personal-data.read', basis: { kind: 'dossier', dossier: ownDossier } }, [U, A, A, C, F]],
  ['personal data, other dossier', { action: 'personal-data.read', basis: { kind: 'dossier', dossier: otherDossier } }, [U, F, F, C, F]],
  [
    'personal data, portal’s dossier',
    { action: 'personal-data.read', basis: { kind: 'dossier', dossier: portalDossier } },
    [U, F, F, C, F],
  ],
  ['personal data, no basis', { action: 'personal-data.read', basis: { kind: 'none' } }, [U, F, F, C, F]],
  [
    'personal data, reception at its own desk',
    { action: 'personal-data.read', basis: { kind: 'reception', agencyCode: OWN } },
    [U, A, A, C, F],
  ],
  [
    'personal data, reception at another desk',
    { action: 'personal-data.read', basis: { kind: 'reception', agencyCode: OTHER } },
    [U, F, F, C, F],
  ],
  [
    'personal data, consent bound to the caller',
    { action: 'personal-data.read', basis: { kind: 'consent', boundClientId: 'test-portal' } },
    [U, F, F, A, F],
  ],
  [
    'personal data, consent bound to another client',
    { action: 'personal-data.read', basis: { kind: 'consent', boundClientId: 'other-portal' } },
    [U, F, F, F, F],
  ],
  ['record a citizen’s consent for itself', { action: 'consent.grant' }, [U, F, F, A, F]],
  ['withdraw a consent given to it', { action: 'consent.revoke' }, [U, F, F, A, F]],
  ['its own register (form 06)', { action: 'register.read', agencyCode: OWN }, [U, A, A, F, F]],
  ['another agency’s register (form 06)', { action: 'register.read', agencyCode: OTHER }, [U, F, F, F, F]],
  ['own statistics', { action: 'statistics.read', agencyCode: OWN }, [U, A, A, F, A]],
  ['national statistics', { action: 'statistics.read', agencyCode: undefined }, [U, F, F, F, A]],
  ['digitize with its own seal', { action: 'document.digitize', agencyCode: OWN }, [U, A, A, F, F]],
  ['digitize with another agency’s seal', { action: 'document.digitize', agencyCode: OTHER }, [U, F, F, F, F]],
  ['fetch a document it signed', { action: 'document.read', agencyCode: OWN, dossier: null }, [U, A, A, F, F]],
  ['fetch a document of a dossier routed to it', { action: 'document.read', agencyCode: OTHER, dossier: routedDossier }, [U, A, A, F, F]],
  ['fetch a document of a dossier it passed on', { action: 'document.read', agencyCode: OTHER, dossier: passedOn }, [U, A, A, F, F]],
  ['fetch another agency’s document', { action: 'document.read', agencyCode: OTHER, dossier: otherDossier }, [U, F, F, F, F]],
  ['revoke a document it issued', { action: 'document.revoke', agencyCode: OWN }, [U, A, A, F, F]],
  ['another agency cannot revoke a document', { action: 'document.revoke', agencyCode: OTHER }, [U, F, F, F, F]],
];

const ORDER = ['public', 'agency', 'officer', 'portal', 'monitor'] as const;

function narrowed(kind: ClientKind, scopes: Scope[], agencyCode: string | null = kind === 'PORTAL' ? null : OWN): Principal {
  return { kind, clientId: kind === 'PORTAL' ? 'test-portal' : 'narrow', agencyCode, scopes: new Set(scopes) };
}

function reasonOf(principal: Principal, request: AccessRequest): string | undefined {
  const decision = decide(principal, request);
  return decision.allowed ? 'allowed' : decision.error.reason;
}

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

  it('names the holder when a former holder acts on a dossier it forwarded', () => {
    const decision = decide(PRINCIPALS.agency!, act('recordResult', forwardedAway));
    expect(decision.allowed).toBe(false);
    if (decision.allowed) return;
    expect(decision.error.reason).toBe('DOSSIER.NOT_HOLDER');
    expect(decision.error.message).toBe(
      `Dossier is now held by Agency ${OTHER} (${OTHER}): only the agency holding it can record and seal its result.`,
    );
    expect(decision.error.details).toEqual({ holderAgencyCode: OTHER });
  });

  it.each([
    [
      'a desk-only action by the holder that is not the desk',
      PRINCIPALS.agency!,
      act('returnResult', routedDossier),
      'DOSSIER.NOT_RECEIVING_DESK',
    ],
    ['an applicant action by an agency that only handled it', PRINCIPALS.agency!, act('withdraw', passedOn), 'DOSSIER.NOT_RECEIVING_DESK'],
    [
      'an applicant action by a portal on another’s dossier',
      PRINCIPALS.portal!,
      act('withdraw', ownDossier),
      'DOSSIER.NOT_SUBMITTED_BY_CLIENT',
    ],
    ['an officer’s action by a portal', PRINCIPALS.portal!, act('recordResult', portalDossier), 'DOSSIER.ACT_FORBIDDEN'],
    ['any action by the monitoring centre', PRINCIPALS.monitor!, act('rate', ownDossier), 'DOSSIER.ACT_FORBIDDEN'],
    ['an action on a dossier it never handled', PRINCIPALS.officer!, act('forward', otherDossier), 'DOSSIER.OTHER_AGENCY'],
    ['the register by the monitoring centre', PRINCIPALS.monitor!, { action: 'register.read', agencyCode: OWN }, 'PERSONAL_DATA.MONITOR'],
    [
      'a search by personal id by the monitoring centre',
      PRINCIPALS.monitor!,
      { action: 'dossier.list', agencyCode: undefined, personalFilter: 'applicantId' },
      'PERSONAL_DATA.MONITOR',
    ],
  ] as [string, Principal, AccessRequest, string][])('gives the reason for %s', (_label, principal, request, reason) => {
    expect(reasonOf(principal, request)).toBe(reason);
  });

  describe('scopes on personal data', () => {
    it.each([
      [
        'a document, with dossier:read only',
        narrowed('AGENCY_SYSTEM', ['dossier:read', 'dossier:write']),
        { action: 'document.read', agencyCode: OWN, dossier: ownDossier },
      ],
      ['its register, with dossier:read only', narrowed('OFFICER_APP', ['dossier:read']), { action: 'register.read', agencyCode: OWN }],
      [
        'a search by applicant, with dossier:read only',
        narrowed('AGENCY_SYSTEM', ['dossier:read']),
        { action: 'dossier.list', agencyCode: OWN, personalFilter: 'applicantId' },
      ],
      [
        'a portal following its dossier, without dossier:submit',
        narrowed('PORTAL', ['catalogue:read']),
        { action: 'dossier.read', dossier: portalDossier },
      ],
      [
        'a portal withdrawing its dossier, without dossier:submit',
        narrowed('PORTAL', ['catalogue:read', 'personal-data:read']),
        act('withdraw', portalDossier),
      ],
    ] as [string, Principal, AccessRequest][])('prevents %s', (_label, principal, request) => {
      expect(reasonOf(principal, request)).toBe('AUTH.SCOPE_MISSING');
    });

    it.each([
      [
        'a document, with personal-data:read',
        narrowed('AGENCY_SYSTEM', ['personal-data:read']),
        { action: 'document.read', agencyCode: OWN, dossier: ownDossier },
      ],
      [
        'its register, with personal-data:read',
        narrowed('OFFICER_APP', ['personal-data:read']),
        { action: 'register.read', agencyCode: OWN },
      ],
      ['a portal withdrawing its dossier, with dossier:submit', narrowed('PORTAL', ['dossier:submit']), act('withdraw', portalDossier)],
    ] as [string, Principal, AccessRequest][])('allows %s', (_label, principal, request) => {
      expect(reasonOf(principal, request)).toBe('allowed');
    });
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
