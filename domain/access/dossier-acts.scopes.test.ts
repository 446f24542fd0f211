import { decide, type HeldDossierScope } from './access-policy';
import { DOSSIER_ACTS, WHO_ACTS, type DossierAct } from './dossier-acts';
import { MAX_SCOPES, type ClientPrincipal, type Scope } from './principal';

/**
 * For every dossier action, who may do it, in OpenCRVS's order: the forbidden cases first (missing
 * scope, a party the table does not name), then the allowed one. The parties each action allows
 * are written out here, independently of WHO_ACTS, and compared with it.
 */
const DESK = '000.19.31.H46';
const HOLDER = '000.19.35.H46';
const FORMER = '000.20.31.H46';

const dossier: HeldDossierScope = {
  receivingAgencyCode: DESK,
  handlingAgencyCodes: [FORMER, HOLDER],
  submittedByClientId: 'portal-a',
  holder: { code: HOLDER, name: 'Công an Phường Phú Xuân' },
};

const agency = (code: string, scopes: readonly Scope[] = MAX_SCOPES.AGENCY_SYSTEM): ClientPrincipal => ({
  kind: 'AGENCY_SYSTEM',
  clientId: `system-${code}`,
  agencyCode: code,
  scopes: new Set(scopes),
});
const portal = (clientId: string, scopes: readonly Scope[] = MAX_SCOPES.PORTAL): ClientPrincipal => ({
  kind: 'PORTAL',
  clientId,
  agencyCode: null,
  scopes: new Set(scopes),
});

type Party = 'desk' | 'holder' | 'portal';
const EXPECTED: Record<DossierAct, Party[]> = {
  accept: ['desk'],
  requestSupplement: ['holder'],
  submitSupplement: ['desk', 'portal'],
  forward: ['holder'],
  completeStep: ['holder'],
  recordResult: ['holder'],
  extendDeadline: ['holder'],
  returnResult: ['desk'],
  reject: ['holder'],
  stop: ['holder'],
  withdraw: ['desk', 'portal'],
  rate: ['desk', 'portal'],
  digitize: ['desk', 'holder'],
};

const CALLERS: Record<Party, ClientPrincipal> = { desk: agency(DESK), holder: agency(HOLDER), portal: portal('portal-a') };

const outcome = (principal: ClientPrincipal, act: DossierAct) => {
  const decision = decide(principal, { action: 'dossier.act', act, dossier });
  return decision.allowed ? 'allowed' : decision.error.reason;
};

it('the table names exactly the parties written out here', () => {
  const fromTable = Object.fromEntries(
    DOSSIER_ACTS.map((act) => [
      act,
      (['desk', 'holder', 'portal'] as Party[]).filter((party) =>
        party === 'desk'
          ? WHO_ACTS[act].includes('receiving-desk') || WHO_ACTS[act].includes('applicant')
          : party === 'holder'
            ? WHO_ACTS[act].includes('holder')
            : WHO_ACTS[act].includes('applicant'),
      ),
    ]),
  );
  expect(fromTable).toEqual(EXPECTED);
});

describe.each(DOSSIER_ACTS)('dossier action %s', (act) => {
  const allowed = EXPECTED[act];

  it('prevents forbidden access if missing required scope', () => {
    for (const party of allowed) {
      const caller = CALLERS[party];
      const without = caller.kind === 'PORTAL' ? ['catalogue:read', 'personal-data:read'] : ['dossier:read', 'personal-data:read'];
      expect(outcome({ ...caller, scopes: new Set(without as Scope[]) }, act)).toBe('AUTH.SCOPE_MISSING');
    }
  });

  it('prevents forbidden access by a party the table does not name', () => {
    const others = (['desk', 'holder', 'portal'] as Party[]).filter((p) => !allowed.includes(p));
    for (const party of others) expect(outcome(CALLERS[party], act)).not.toBe('allowed');
    // An agency that held the dossier before, and another portal, never act on it.
    expect(outcome(agency(FORMER), act)).toBe(allowed.includes('holder') ? 'DOSSIER.NOT_HOLDER' : 'DOSSIER.NOT_RECEIVING_DESK');
    expect(outcome(portal('portal-b'), act)).toBe(allowed.includes('portal') ? 'DOSSIER.NOT_SUBMITTED_BY_CLIENT' : 'DOSSIER.ACT_FORBIDDEN');
  });

  it('allows access if required scope is present', () => {
    for (const party of allowed) {
      const caller = CALLERS[party];
      const only = caller.kind === 'PORTAL' ? ['dossier:submit'] : ['dossier:write'];
      expect(outcome({ ...caller, scopes: new Set(only as Scope[]) }, act)).toBe('allowed');
    }
  });
});
