import {
  decideConsentRequest,
  decideConsentedRead,
  splitByConsent,
  type ClientConsentPurpose,
  type ConsentClaims,
  type ConsentRecord,
  type ConsentRequest,
  type ConsentedReadRequest,
} from './consent';

const ISSUED = new Date('2026-12-01T09:00:00+07:00');
const NOT_AFTER = new Date('2026-12-31T09:00:00+07:00');
const NOW = new Date('2026-12-03T10:00:00+07:00');

const record: ConsentRecord = {
  id: 'c-1',
  subjectPseudonym: 'p-abc',
  clientId: 'portal-a',
  attributes: ['population.fullName', 'population.currentResidence'],
  purpose: 'prefill:1.001193',
  procedureCode: '1.001193',
  issuedAt: ISSUED,
  notAfter: NOT_AFTER,
  dataLifeSeconds: 86_400,
  status: 'GRANTED',
  revokedAt: null,
};
const claims: ConsentClaims = {
  consentId: 'c-1',
  subjectPseudonym: 'p-abc',
  clientId: 'portal-a',
  attributes: ['population.currentResidence', 'population.fullName'],
  purpose: 'prefill:1.001193',
  procedureCode: '1.001193',
  notAfter: NOT_AFTER,
};
const read: ConsentedReadRequest = {
  clientId: 'portal-a',
  subjectPseudonym: 'p-abc',
  attributes: ['population.fullName'],
  procedureCode: '1.001193',
  now: NOW,
};

describe('decideConsentedRead', () => {
  const cases: Array<[string, ConsentClaims | undefined, ConsentRecord | undefined, ConsentedReadRequest, string]> = [
    ['a consented attribute, by the bound client, in time', claims, record, read, 'ALLOWED'],
    ['no attributes named for the procedure only', claims, record, { ...read, attributes: [] }, 'ALLOWED'],
    ['a plain registry read names no procedure', claims, record, { ...read, procedureCode: undefined }, 'ALLOWED'],
    ['a token that did not verify', undefined, record, read, 'CONSENT.INVALID_TOKEN'],
    ['no stored record for the token', claims, undefined, read, 'CONSENT.INVALID_TOKEN'],
    [
      'altered attributes in the token',
      { ...claims, attributes: [...claims.attributes, 'population.maritalStatus'] },
      record,
      read,
      'CONSENT.INVALID_TOKEN',
    ],
    ['altered expiry in the token', { ...claims, notAfter: new Date('2027-12-31T00:00:00Z') }, record, read, 'CONSENT.INVALID_TOKEN'],
    ['another client presents it', claims, record, { ...read, clientId: 'portal-b' }, 'CONSENT.WRONG_CLIENT'],
    ['revoked', claims, { ...record, status: 'REVOKED', revokedAt: NOW }, read, 'CONSENT.REVOKED'],
    ['at its not-after instant', claims, record, { ...read, now: NOT_AFTER }, 'CONSENT.EXPIRED'],
    ['after its not-after', claims, record, { ...read, now: new Date('2027-01-01T00:00:00Z') }, 'CONSENT.EXPIRED'],
    ['about another person', claims, record, { ...read, subjectPseudonym: 'p-other' }, 'CONSENT.WRONG_SUBJECT'],
    ['for another procedure', claims, record, { ...read, procedureCode: '1.004873' }, 'CONSENT.WRONG_PROCEDURE'],
    ['for another purpose', claims, record, { ...read, purpose: 'prefill:1.004873' }, 'CONSENT.WRONG_PURPOSE'],
    [
      'an attribute not consented',
      claims,
      record,
      { ...read, attributes: ['population.maritalStatus'] },
      'CONSENT.ATTRIBUTE_NOT_CONSENTED',
    ],
  ];
  it.each(cases)('%s → %s', (_name, c, r, request, expected) => {
    const decision = decideConsentedRead(c, r, request);
    expect(decision.allowed ? 'ALLOWED' : decision.reason).toBe(expected);
  });
});

describe('splitByConsent', () => {
  it('keeps the consented attributes and names the others', () => {
    expect(splitByConsent(record, ['population.fullName', 'population.maritalStatus', 'land.parcels'])).toEqual({
      consented: ['population.fullName'],
      notConsented: ['population.maritalStatus', 'land.parcels'],
    });
  });
});

describe('decideConsentRequest', () => {
  const registered: ClientConsentPurpose[] = [
    { purpose: 'prefill:1.001193', attributes: ['population.fullName', 'population.currentResidence'] },
    { purpose: 'eligibility-check', attributes: ['population.maritalStatus'] },
  ];
  const request: ConsentRequest = {
    clientId: 'portal-a',
    attributes: ['population.fullName'],
    purpose: 'prefill:1.001193',
    procedureCode: '1.001193',
    issuedAt: ISSUED,
    notAfter: NOT_AFTER,
    dataLifeSeconds: 3_600,
  };
  const cases: Array<[string, ConsentRequest, string]> = [
    ['a registered purpose and its attributes', request, 'ALLOWED'],
    [
      'a non-prefill purpose for any procedure',
      { ...request, purpose: 'eligibility-check', attributes: ['population.maritalStatus'] },
      'ALLOWED',
    ],
    ['an attribute the hub does not know', { ...request, attributes: ['population.password'] }, 'CONSENT.UNKNOWN_ATTRIBUTE'],
    ['no attributes', { ...request, attributes: [] }, 'CONSENT.NO_ATTRIBUTES'],
    ['a purpose not registered for the client', { ...request, purpose: 'marketing' }, 'CONSENT.PURPOSE_NOT_REGISTERED'],
    ['an attribute beyond the purpose', { ...request, attributes: ['land.parcels'] }, 'CONSENT.ATTRIBUTE_NOT_REGISTERED'],
    ['a prefill purpose of another procedure', { ...request, procedureCode: '1.004873' }, 'CONSENT.PURPOSE_PROCEDURE_MISMATCH'],
    ['ends before it starts', { ...request, notAfter: ISSUED }, 'CONSENT.BAD_VALIDITY'],
    ['longer than a year', { ...request, notAfter: new Date('2028-01-01T00:00:00Z') }, 'CONSENT.BAD_VALIDITY'],
    ['a negative data life', { ...request, dataLifeSeconds: -1 }, 'CONSENT.BAD_VALIDITY'],
  ];
  it.each(cases)('%s → %s', (_name, r, expected) => {
    const decision = decideConsentRequest(registered, r);
    expect(decision.allowed ? 'ALLOWED' : decision.reason).toBe(expected);
  });
});
