import type { DocumentTypeDefinition, DocumentValidity } from './document-type';
import type { HeldDocument } from './held-document';
import { supersededBy, validUntilFor } from './document-validity';

const typeWith = (validity: DocumentValidity, supersededByNewer = false): DocumentTypeDefinition => ({
  code: 'MARITAL_STATUS_CONFIRMATION',
  name: 'Giấy xác nhận tình trạng hôn nhân',
  nameEn: 'marital status confirmation',
  ownerKinds: ['CITIZEN'],
  validity,
  supersededByNewer,
  registrySource: null,
  source: 'test',
});

const issued = new Date('2026-08-31T03:00:00.000Z');
const stated = new Date('2036-08-31T00:00:00.000Z');

describe('validUntilFor', () => {
  it.each([
    ['never expires, none stated', typeWith({ kind: 'never-expires' }), null, null],
    ['6 months after issue, clamped to February', typeWith({ kind: 'expires-after-months', months: 6 }), null, '2027-02-28T03:00:00.000Z'],
    ['12 months after issue', typeWith({ kind: 'expires-after-months', months: 12 }), null, '2027-08-31T03:00:00.000Z'],
    ['30 days after issue', typeWith({ kind: 'expires-after-days', days: 30 }), null, '2026-09-30T03:00:00.000Z'],
    ['stated on the document', typeWith({ kind: 'stated-on-document' }), stated, '2036-08-31T00:00:00.000Z'],
    ['typeless, none stated', null, null, null],
    ['typeless, stated', null, stated, '2036-08-31T00:00:00.000Z'],
  ])('%s', (_, type, given, expected) => {
    expect(validUntilFor(type, issued, given)?.toISOString() ?? null).toBe(expected);
  });

  it.each([
    ['a date given for a type that never expires', typeWith({ kind: 'never-expires' }), stated, 'DOCUMENT.VALIDITY_NOT_STATED'],
    [
      'a date given for a type counted in months',
      typeWith({ kind: 'expires-after-months', months: 6 }),
      stated,
      'DOCUMENT.VALIDITY_NOT_STATED',
    ],
    ['no date for a type that states its own', typeWith({ kind: 'stated-on-document' }), null, 'DOCUMENT.VALIDITY_REQUIRED'],
    [
      'an end before the issue',
      typeWith({ kind: 'stated-on-document' }),
      new Date('2020-01-01T00:00:00Z'),
      'DOCUMENT.VALIDITY_BEFORE_ISSUE',
    ],
  ])('refuses %s', (_, type, given, reason) => {
    expect(() => validUntilFor(type, issued, given)).toThrow(expect.objectContaining({ reason }));
  });
});

describe('supersededBy', () => {
  const held = (code: string, over: Partial<HeldDocument> = {}): HeldDocument => ({
    code,
    ownerId: '001090000001',
    typeCode: 'MARITAL_STATUS_CONFIRMATION',
    issuingAgencyCode: '000.19.31.H46',
    issuedAt: new Date('2026-01-01T00:00:00Z'),
    validUntil: null,
    status: 'VALID',
    source: 'DOSSIER_RESULT',
    ...over,
  });
  const newer = held('NEW', { issuedAt: new Date('2026-06-01T00:00:00Z') });
  const superseding = typeWith({ kind: 'expires-after-months', months: 6 }, true);
  const vault = [
    held('OLD'),
    held('NEW'),
    held('REVOKED', { status: 'REVOKED' }),
    held('ALREADY', { status: 'SUPERSEDED' }),
    held('OTHER_OWNER', { ownerId: '001090000002' }),
    held('OTHER_TYPE', { typeCode: 'BIRTH_CERTIFICATE' }),
    held('LATER', { issuedAt: new Date('2026-07-01T00:00:00Z') }),
    held('SAME_DAY', { issuedAt: new Date('2026-06-01T00:00:00Z') }),
  ];

  it.each([
    ['a superseding type: the owner’s older valid ones of that type', superseding, newer, ['OLD', 'SAME_DAY']],
    ['a type that does not supersede: none', typeWith({ kind: 'never-expires' }, false), newer, []],
    ['a typeless document: none', null, held('NEW', { typeCode: null }), []],
    ['an ownerless document: none', superseding, held('NEW', { ownerId: null }), []],
  ])('%s', (_, type, document, expected) => {
    expect(supersededBy(document, type, vault)).toEqual(expected);
  });
});
